import type { ClaimPageView } from '../../../core/protocol/index';

/** The poster's address in the console: the page's id and title travel in the URL. */
export const posterPath = (page: ClaimPageView): string =>
  `/batches/${page.batchId}/poster?${new URLSearchParams({ page: page.id, title: page.title }).toString()}`;

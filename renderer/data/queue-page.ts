import type { TillpointDb } from './db';
import type { RedemptionRecord } from './records';

/** One page of the queue view. */
export interface QueuePage {
  readonly records: readonly RedemptionRecord[];
  /** How many records match (all of them, or those whose code starts with the search). */
  readonly total: number;
}

/**
 * Reads one page of this terminal's redemptions, newest first, on the createdAt index (or, when
 * searching, the code index): only the page's records are loaded, however long the history.
 * `search` matches the start of a code, ignoring case and spaces.
 */
export async function readQueuePage(
  db: TillpointDb,
  options: { readonly page: number; readonly size: number; readonly search: string },
): Promise<QueuePage> {
  const search = options.search.replace(/\s+/g, '');
  const skip = options.page * options.size;
  return db.transaction('r', db.redemptions, async () => {
    if (search === '') {
      const [records, total] = await Promise.all([
        db.redemptions.orderBy('createdAt').reverse().offset(skip).limit(options.size).toArray(),
        db.redemptions.count(),
      ]);
      return { records, total };
    }
    const matching = () => db.redemptions.where('code').startsWithIgnoreCase(search);
    const [records, total] = await Promise.all([
      matching().offset(skip).limit(options.size).toArray(),
      matching().count(),
    ]);
    // A page of matches comes in code order; within it, newest first like the full list.
    return { records: records.sort((a, b) => b.createdAt - a.createdAt), total };
  });
}

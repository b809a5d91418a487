import { apiFailureMessage } from '../i18n/api-errors';
import { useT } from '../i18n/use-t';
import type { RefundProblem } from '../state/refund-store';
import { useSessionStore } from '../state/session-store';

/**
 * Why a sale could not be found or a refund was not made, in the cashier's language; the
 * server's own sentence (English, with the figures: what a line has left) goes beneath it.
 */
export function RefundProblemNote({ problem }: { readonly problem: RefundProblem }) {
  const t = useT();
  const locale = useSessionStore((s) => s.locale);
  let words: string;
  let detail: string | null = null;
  switch (problem.kind) {
    case 'not_found':
      words = t('refundNotFound', { id: problem.saleId });
      break;
    case 'not_a_sale_id':
      words = t('refundNotSaleId', { text: problem.text.slice(0, 40) });
      break;
    case 'offline':
      words = t('refundOffline');
      break;
    case 'server':
      words =
        problem.failure.code === 'REFUND_EXCEEDS_REFUNDABLE'
          ? t('refundExceeds')
          : t('refundRefused', { detail: apiFailureMessage(problem.failure, locale) });
      if (words.indexOf(problem.failure.message) < 0) detail = problem.failure.message;
      break;
  }
  return (
    <div
      className="refund-problem"
      role="alert"
      data-testid="refund-problem"
      data-code={problem.kind === 'server' ? problem.failure.code : problem.kind}
    >
      <p>{words}</p>
      {detail !== null && (
        <p className="detail" lang="en" data-testid="refund-problem-detail">
          {detail}
        </p>
      )}
    </div>
  );
}

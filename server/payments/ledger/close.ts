import type { PaymentView } from '../../../core/protocol';
import type { TerminalActor } from '../../auth/actors';
import type { Storage } from '../../db/storage';
import { HttpError } from '../../http/errors';
import { OutTradeNo } from '../ids';
import type { PaymentProvider } from '../provider';
import { UNSETTLED } from './confirm';
import { endPendingTender, movePayment, paymentOr404, paymentRow, paymentView } from './rows';

/**
 * Closes an unpaid Native order (the customer will not pay it): at WeChat first, outside any
 * write, then here, its tender marked failed. Closing a closed payment answers it as it is.
 */
export async function closePayment(
  storage: Storage,
  provider: PaymentProvider,
  actor: TerminalActor,
  id: string,
  now: string,
): Promise<PaymentView> {
  const row = await paymentOr404(storage.db, actor.terminalId, id);
  if (row.state === 'closed' || row.state === 'failed') return paymentView(row);
  if (!(UNSETTLED as readonly string[]).includes(row.state))
    throw new HttpError(
      409,
      'CONFLICT',
      `Payment ${id} is ${row.state}${row.held === 1 ? ' and held for a manager' : ''}; it cannot be closed (a paid payment is refunded instead).`,
    );
  const closed = await provider.close(OutTradeNo.parse(row.out_trade_no));
  if (!closed.ok && closed.kind === 'unknown')
    throw new HttpError(
      503,
      'UNAVAILABLE',
      `WeChat Pay did not answer the close (${closed.code}); send it again — closing twice is safe.`,
    );
  if (!closed.ok && closed.kind !== 'not_found')
    throw new HttpError(
      409,
      'CONFLICT',
      `WeChat Pay would not close payment ${id} (${closed.code}); the customer may have paid — ask for its state.`,
    );
  const after = await storage.write(async (w) => {
    if (await movePayment(w, row, UNSETTLED, 'closed', { code_url: null }, now))
      await endPendingTender(w, row, 'failed');
    return paymentRow(w, row.terminal_id, row.id);
  });
  return paymentView(after ?? row);
}

import type { Kysely } from 'kysely';
import { recountRefunds } from '../../reports/refunds';
import type { Database } from '../schema';
import type { Dialect } from './dialect';

/**
 * The sales report's refund counters (report_tender_day refunds, refund_fen) were never filled
 * before this version; from now on a refund part that succeeds counts as it settles
 * (reports/refunds.ts). This counts the refunds already made, from their succeeded parts.
 */
export async function refundCounts(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await recountRefunds(db as unknown as Kysely<Database>);
}

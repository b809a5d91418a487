import type { Kysely } from 'kysely';
import type { ClientId, StoreId, TerminalId, UserId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Reason } from '../../core/reasons';
import type { CodeDetail } from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';
import { batchRow } from './batch-rows';
import { codeStateOf } from './codes-page';

type Db = Pick<Kysely<Database>, 'selectFrom'>;

function notFound(code: string): HttpError {
  return new HttpError(
    404,
    'NOT_FOUND',
    `No voucher ${code} is known to your console; check the code (a store manager sees only codes usable at their store).`,
  );
}

/**
 * One code for the console: its batch, state, claim, every redemption (with the sale it
 * went on) and every conflict. A store manager gets it only when their store may redeem
 * the batch, and the same "not found" as for an unknown code otherwise (no hint which).
 */
export async function codeDetail(db: Db, user: UserActor, code: VoucherCode): Promise<CodeDetail> {
  const row = await db.selectFrom('codes').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound(code);
  const batch = await batchRow(db, user, row.batch_id).catch((e: unknown) => {
    throw e instanceof HttpError && e.status === 403 ? notFound(code) : e;
  });
  const redemptions = await db
    .selectFrom('redemptions')
    .leftJoin('terminals', 'terminals.id', 'redemptions.terminal_id')
    .leftJoin('sales', (j) =>
      j
        .onRef('sales.id', '=', 'redemptions.sale_id')
        .onRef('sales.terminal_id', '=', 'redemptions.terminal_id'),
    )
    .select([
      'redemptions.id',
      'redemptions.status',
      'redemptions.store_id',
      'redemptions.terminal_id',
      'terminals.name as terminal_name',
      'redemptions.cashier_id',
      'redemptions.discount_fen',
      'redemptions.at',
      'redemptions.sale_id',
      'sales.due_fen',
      'sales.at as sale_at',
    ])
    .where('redemptions.code', '=', code)
    .orderBy('redemptions.at')
    .orderBy('redemptions.id')
    .execute();
  const conflicts = await db
    .selectFrom('conflicts')
    .select([
      'redemption_id',
      'store_id',
      'terminal_id',
      'reason',
      'discount_fen',
      'at',
      'resolution',
    ])
    .where('code', '=', code)
    .orderBy('at')
    .orderBy('redemption_id')
    .execute();
  const state = { ...codeStateOf(row), code, batchId: batch.batch.id };
  return {
    code: state,
    batch: batch.batch,
    signed: Number(row.signed) === 1,
    redemptions: redemptions.map((r) => ({
      id: r.id as ClientId,
      status: r.status,
      storeId: r.store_id as StoreId,
      terminalId: r.terminal_id as TerminalId,
      terminalName: r.terminal_name ?? null,
      cashierId: (r.cashier_id as UserId | null) ?? null,
      discountFen: Number(r.discount_fen) as Fen,
      at: r.at,
      sale:
        r.sale_id !== null && r.due_fen !== null && r.sale_at !== null
          ? { id: r.sale_id as ClientId, dueFen: Number(r.due_fen) as Fen, at: r.sale_at }
          : null,
    })),
    conflicts: conflicts.map((c) => ({
      redemptionId: c.redemption_id as ClientId,
      storeId: c.store_id as StoreId,
      terminalId: c.terminal_id as TerminalId,
      reason: JSON.parse(c.reason) as Reason,
      discountFen: Number(c.discount_fen) as Fen,
      at: c.at,
      resolution: c.resolution,
    })),
  };
}

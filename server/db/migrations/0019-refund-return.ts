import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * A batch may give its codes back when their sale is refunded in full (Batch.returnOnRefund,
 * payments/ledger/refund-vouchers.ts). Every stored batch document gets the setting, off, so a
 * document reads the same whether it was saved before the setting or after. A redemption given
 * back keeps its row, with status 'returned' and the refund that returned it; the index finds a
 * sale's redemptions when its refund completes.
 */
export async function refundReturn(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('redemptions').addColumn('returned_at', 'text').execute();
  await db.schema.alterTable('redemptions').addColumn('returned_refund_id', 'text').execute();
  await db.schema
    .createIndex('redemptions_by_sale')
    .on('redemptions')
    .columns(['terminal_id', 'sale_id'])
    .execute();
  const rows = await sql<{ id: string; doc: string }>`select id, doc from batches`.execute(db);
  for (const row of rows.rows) {
    const doc = JSON.parse(row.doc) as Record<string, unknown>;
    if ('returnOnRefund' in doc) continue;
    await sql`update batches set doc = ${JSON.stringify({ ...doc, returnOnRefund: false })} where id = ${row.id}`.execute(
      db,
    );
  }
}

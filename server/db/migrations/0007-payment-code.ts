import { type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Payment codes (付款码) and reconciliation on the payments table: why a payment ended as it did
 * (`reason`, e.g. NOTENOUGH), the out_refund_no of the automatic refund of a payment that landed
 * after we gave up (made once, reused on every retry), and a lease (`lease_owner`, `lease_until`)
 * that one server instance takes, by a conditional update, before it queries or settles a payment,
 * so several instances on one database settle each payment once.
 */
export async function paymentCode(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  for (const column of ['reason', 'out_refund_no', 'lease_owner', 'lease_until'])
    await db.schema.alterTable('payments').addColumn(column, 'text').execute();
  // The reconciliation sweep: unsettled payments whose lease is free, soonest first.
  await db.schema
    .createIndex('payments_by_lease')
    .on('payments')
    .columns(['state', 'lease_until'])
    .execute();
}

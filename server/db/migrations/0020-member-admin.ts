import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * The console's Members screen. A member is edited like a user: who changed them last and when
 * (the "changed by X at T, reload" of a refused tier change) and the request id of that change,
 * so a retried change (its answer lost) gets the stored member. A member's sales and
 * redemptions are read by member: sales get the member's id as a column (it was only inside the
 * sale's document), and both get an index by member and time that skips anonymous records, so
 * the redemption hot path pays nothing for a sale without a member. Claims are made on a phone's
 * device key; the member's are found from the keys of the codes they redeemed.
 */
export async function memberAdmin(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('members').addColumn('updated_by', 'text').execute();
  await db.schema.alterTable('members').addColumn('last_request_id', 'text').execute();
  await db.schema.createIndex('members_by_tier').on('members').columns(['tier', 'id']).execute();
  await db.schema.alterTable('sales').addColumn('customer_id', 'text').execute();
  const customerOfDoc =
    dialect === 'postgres'
      ? sql`(doc::jsonb #>> '{member,customerId}')`
      : sql`json_extract(doc, '$.member.customerId')`;
  await sql`update sales set customer_id = ${customerOfDoc}`.execute(db);
  await db.schema
    .createIndex('sales_by_customer')
    .on('sales')
    .columns(['customer_id', 'at'])
    .where(sql.ref('customer_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('redemptions_by_customer')
    .on('redemptions')
    .columns(['customer_id', 'at'])
    .where(sql.ref('customer_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('claims_by_device')
    .on('claims')
    .columns(['customer', 'claimed_at'])
    .execute();
}

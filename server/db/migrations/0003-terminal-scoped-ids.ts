import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Redemption ids are idempotency keys of the terminal that made them: the primary keys of
 * `redemptions` and `conflicts` become (terminal_id, id), so another terminal sending a known id
 * neither reads nor blocks the first one's outcome, and `request_hash` lets a replay with another
 * body be refused. Rows settled as NOT_RECEIVED keep a null hash (any later copy matches them).
 *
 * SQLite cannot change a primary key in place, so its tables are rebuilt (inside the migration's
 * transaction); PostgreSQL swaps the constraint.
 */
export async function terminalScopedIds(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE redemptions DROP CONSTRAINT redemptions_pkey`.execute(db);
    await sql`ALTER TABLE redemptions ADD PRIMARY KEY (terminal_id, id)`.execute(db);
    await sql`ALTER TABLE redemptions ADD COLUMN request_hash text`.execute(db);
    await sql`ALTER TABLE conflicts DROP CONSTRAINT conflicts_pkey`.execute(db);
    await sql`ALTER TABLE conflicts ADD PRIMARY KEY (terminal_id, redemption_id)`.execute(db);
    await db.schema
      .createIndex('conflicts_by_redemption')
      .on('conflicts')
      .columns(['redemption_id'])
      .execute();
    return;
  }
  await sql`CREATE TABLE redemptions_scoped (
    id text NOT NULL,
    code text NOT NULL,
    batch_id text,
    store_id text NOT NULL,
    terminal_id text NOT NULL,
    cashier_id text,
    status text NOT NULL,
    discount_fen bigint NOT NULL,
    day text NOT NULL,
    customer_id text,
    lease_id text,
    at text NOT NULL,
    recorded_at text NOT NULL,
    response text NOT NULL,
    request_hash text,
    PRIMARY KEY (terminal_id, id)
  )`.execute(db);
  await sql`INSERT INTO redemptions_scoped
    SELECT id, code, batch_id, store_id, terminal_id, cashier_id, status, discount_fen, day,
           customer_id, lease_id, at, recorded_at, response, NULL FROM redemptions`.execute(db);
  await sql`DROP TABLE redemptions`.execute(db);
  await sql`ALTER TABLE redemptions_scoped RENAME TO redemptions`.execute(db);
  await db.schema
    .createIndex('redemptions_by_batch_day')
    .on('redemptions')
    .columns(['batch_id', 'day', 'status', 'customer_id'])
    .execute();
  await db.schema.createIndex('redemptions_by_code').on('redemptions').columns(['code']).execute();

  await sql`CREATE TABLE conflicts_scoped (
    redemption_id text NOT NULL,
    code text NOT NULL,
    batch_id text,
    store_id text NOT NULL,
    terminal_id text NOT NULL,
    reason text NOT NULL,
    winner_redemption_id text,
    discount_fen bigint NOT NULL,
    at text NOT NULL,
    created_at text NOT NULL,
    resolution text,
    resolved_by text,
    resolved_at text,
    PRIMARY KEY (terminal_id, redemption_id)
  )`.execute(db);
  await sql`INSERT INTO conflicts_scoped SELECT * FROM conflicts`.execute(db);
  await sql`DROP TABLE conflicts`.execute(db);
  await sql`ALTER TABLE conflicts_scoped RENAME TO conflicts`.execute(db);
  await db.schema
    .createIndex('conflicts_by_store')
    .on('conflicts')
    .columns(['store_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('conflicts_by_redemption')
    .on('conflicts')
    .columns(['redemption_id'])
    .execute();
}

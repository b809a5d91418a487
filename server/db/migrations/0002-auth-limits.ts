import type { Kysely } from 'kysely';

/**
 * Counters of what is being guessed (server/auth/limits.ts): PINs per
 * terminal, passwords per user name, logins and pairings per address, code
 * look-ups per terminal. In the database, so every instance counts the same.
 */
export async function authLimits(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_limits')
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_limits_pk', ['what', 'subject'])
    .execute();
}

import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from './dialect';
import { initial } from './0001-initial';
import { authLimits } from './0002-auth-limits';
import { terminalScopedIds } from './0003-terminal-scoped-ids';
import { leaseRequest } from './0004-lease-request';
import { sales } from './0005-sales';
import { payments } from './0006-payments';
import { paymentCode } from './0007-payment-code';
import { refunds } from './0008-refunds';
import { consoleEdits } from './0009-console';
import { reports } from './0011-reports';
import { claims } from './0012-claims';
import { shifts } from './0013-shifts';
import { retention } from './0014-retention';
import { staff } from './0015-staff';
import { members } from './0016-members';
import { claimOrder } from './0017-claim-order';
import { storeDay } from './0018-store-day';
import { refundReturn } from './0019-refund-return';
import { memberAdmin } from './0020-member-admin';
import { consoleFilters } from './0021-console-filters';
import { freeCodes } from './0022-free-codes';
import { saleReplacements } from './0023-sale-replacements';
import { refundCounts } from './0024-refund-counts';

export type { Dialect } from './dialect';

type Up = (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;

/**
 * Every migration in the order it runs; Kysely records the applied ones in
 * `kysely_migration`. Never edit a released migration: add the next one in a
 * file of its own and list it here.
 */
const MIGRATIONS: ReadonlyArray<readonly [name: string, up: Up]> = [
  ['0001_initial', initial],
  ['0002_auth_limits', authLimits],
  ['0003_terminal_scoped_ids', terminalScopedIds],
  ['0004_lease_request', leaseRequest],
  ['0005_sales', sales],
  ['0006_payments', payments],
  ['0007_payment_code', paymentCode],
  ['0008_refunds', refunds],
  ['0009_console', consoleEdits],
  ['0011_reports', reports],
  ['0012_claims', claims],
  ['0013_shifts', shifts],
  ['0014_retention', retention],
  ['0015_staff', staff],
  ['0016_members', members],
  ['0017_claim_order', claimOrder],
  ['0018_store_day', storeDay],
  ['0019_refund_return', refundReturn],
  ['0020_member_admin', memberAdmin],
  ['0021_console_filters', consoleFilters],
  ['0022_free_codes', freeCodes],
  ['0023_sale_replacements', saleReplacements],
  ['0024_refund_counts', refundCounts],
];

/** One set of migrations for SQLite and PostgreSQL, run forward on start. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const all: Record<string, Migration> = {};
  for (const [name, up] of MIGRATIONS) all[name] = { up: (db) => up(db, dialect) };
  return { getMigrations: () => Promise.resolve(all) };
}

/** How many migrations this build knows: /readyz waits until all are applied. */
export const MIGRATION_COUNT = MIGRATIONS.length;

/** The names of this build's migrations: a restore refuses a backup that has others. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

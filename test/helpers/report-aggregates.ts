import { expect } from 'vitest';
import type { Aggregates } from '../../core/reports/aggregates';
import { openDatabase } from '../../server/db/connect';
import { createStorage, type Storage } from '../../server/db/storage';
import {
  aggregatesFromLedger,
  rebuildAggregates,
  storedAggregates,
} from '../../server/reports/rebuild';
import type { TestServer } from './server-harness';

/** Aggregates as sorted plain data, rows of all zeros left out, for toEqual. */
export function plainAggregates(a: Aggregates): [string, unknown][] {
  return [...a]
    .filter(([, r]) =>
      Object.entries(r.row).some(([k, v]) => typeof v === 'number' && k !== 'hour' && v !== 0),
    )
    .sort(([x], [y]) => (x < y ? -1 : 1));
}

/** Opens the stopped server's database again, as the migration and a repair would. */
export async function reopenStorage(server: TestServer): Promise<Storage> {
  return createStorage(
    await openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl }),
  );
}

/**
 * The aggregates the live upkeep stored equal those counted from the ledger, and a rebuild
 * writes them back unchanged. Returns the stored aggregates, for a test's own checks.
 */
export async function expectRebuildAgrees(storage: Storage): Promise<Aggregates> {
  const stored = await storedAggregates(storage.db);
  expect(plainAggregates(stored)).toEqual(plainAggregates(await aggregatesFromLedger(storage.db)));
  await storage.write(async (w) => rebuildAggregates(w.trx));
  expect(plainAggregates(await storedAggregates(storage.db))).toEqual(plainAggregates(stored));
  return stored;
}

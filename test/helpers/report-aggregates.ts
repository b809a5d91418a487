import type { Aggregates } from '../../core/reports/aggregates';
import { openDatabase } from '../../server/db/connect';
import { createStorage, type Storage } from '../../server/db/storage';
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

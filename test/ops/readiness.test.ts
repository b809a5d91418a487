import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect';
import { MIGRATION_COUNT } from '../../server/db/migrations';
import { notReadyBecause } from '../../server/ops/readiness';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-ready-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is ready on a migrated store with room on its disk', async () => {
    const dir = fresh();
    const handle = await openDatabase({ dataDir: dir });
    try {
      expect(await notReadyBecause(handle.db, dir)).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('says the disk is full when less than the minimum is free', async () => {
    const dir = fresh();
    const handle = await openDatabase({ dataDir: dir });
    try {
      expect(await notReadyBecause(handle.db, dir, Number.MAX_SAFE_INTEGER)).toMatch(
        /^the disk holding .* is full \(\d+ MB free/,
      );
    } finally {
      await handle.close();
    }
  });

  it('says migrations are running while some are not applied', async () => {
    const dir = fresh();
    const handle = await openDatabase({ dataDir: dir });
    try {
      await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(
        handle.db,
      );
      expect(await notReadyBecause(handle.db, null)).toBe(
        `database migrations are running (${MIGRATION_COUNT - 1} of ${MIGRATION_COUNT} applied); retry in a few seconds`,
      );
    } finally {
      await handle.close();
    }
  });

  it('says the database is not reachable when it does not answer', async () => {
    const handle = await openDatabase({ dataDir: fresh() });
    await handle.close();
    expect(await notReadyBecause(handle.db, null)).toMatch(/^the database is not reachable/);
  });
});

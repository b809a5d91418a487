import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect';
import { MIGRATION_COUNT } from '../../server/db/migrations';
import { notReadyBecause, type DiskCheck } from '../../server/ops/readiness';
import { spawnServer } from '../helpers/server-process';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-ready-'));
  dirs.push(dir);
  return dir;
};
/** The real free space of `dir`'s file system against a threshold of `minFreeBytes`. */
const diskOf = (dir: string, minFreeBytes: number): DiskCheck => ({
  path: dir,
  minFreeBytes,
  check: () => {
    const s = statfsSync(dir);
    return { freeBytes: s.bavail * s.bsize, minFreeBytes };
  },
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is ready on a migrated store with room on its disk', async () => {
    const dir = fresh();
    const handle = await openDatabase({ dataDir: dir });
    try {
      expect(await notReadyBecause(handle.db, diskOf(dir, 64 * 1_048_576))).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('says the disk is full when less than the minimum is free', async () => {
    const dir = fresh();
    const handle = await openDatabase({ dataDir: dir });
    try {
      expect(await notReadyBecause(handle.db, diskOf(dir, Number.MAX_SAFE_INTEGER))).toMatch(
        /^disk almost full: \d+ MB free, below \d+ MB on the disk holding /,
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

describe('a real server whose disk is below disk.minFreeMb', () => {
  it('answers /readyz 503 saying so, exports the free bytes, and warns once', async () => {
    const dir = fresh();
    const s = statfsSync(dir);
    const freeMb = Math.floor((s.bavail * s.bsize) / 1_048_576);
    // Above the real free space: the server sees a "full" disk without one being filled.
    const minFreeMb = freeMb + 10_000;
    const server = await spawnServer(['--port', '0', '--data-dir', dir], {
      TILLPOINT_DISK_MIN_FREE_MB: String(minFreeMb),
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { code: string; message: string };
        expect(body.code).toBe('UNAVAILABLE');
        expect(body.message).toMatch(
          new RegExp(
            `^Not ready: disk almost full: \\d+ MB free, below ${minFreeMb} MB on the disk holding `,
          ),
        );
        const mb = Number(/(\d+) MB free/.exec(body.message)?.[1]);
        // Other processes write meanwhile; the figure is the real one within a margin.
        expect(Math.abs(mb - freeMb)).toBeLessThan(512);
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const free = /^tillpoint_disk_free_bytes\{path="[^"]+"\} (\d+)$/m.exec(metrics);
      expect(free).not.toBeNull();
      expect(Math.abs(Number(free?.[1]) / 1_048_576 - freeMb)).toBeLessThan(512);
      expect(metrics).toMatch(
        new RegExp(
          `^tillpoint_disk_min_free_bytes\\{path="[^"]+"\\} ${minFreeMb * 1_048_576}$`,
          'm',
        ),
      );
      // /healthz still answers: the process is alive, only not ready.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const warnings = server
        .stderr()
        .split('\n')
        .filter((l) => l.includes('disk almost full'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, component: 'disk' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('is ready with the default threshold', async () => {
    const server = await spawnServer(['--port', '0', '--data-dir', fresh()]);
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(server.stderr()).not.toContain('disk almost full');
    } finally {
      await server.stop();
    }
  }, 30_000);
});

import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoucherCode } from '../../core/ids';
import { redemptionRecord } from '../../test/helpers/app-records';
import { TillpointDb } from './db';
import { readQueuePage } from './queue-page';

let db: TillpointDb;
let n = 0;
beforeEach(async () => {
  n += 1;
  db = new TillpointDb(`queue-page-${n}`);
  const start = Date.UTC(2026, 10, 22, 4);
  await db.redemptions.bulkAdd(
    Array.from({ length: 1_234 }, (_, i) =>
      redemptionRecord({
        code: `QP${String(i).padStart(5, '0')}` as VoucherCode,
        createdAt: start + i * 1_000,
      }),
    ),
  );
});
afterEach(() => db.delete());

describe('queue view pages', () => {
  it('pages through the whole history newest first, each record once', async () => {
    const seen: string[] = [];
    let total = 0;
    for (let page = 0; ; page += 1) {
      const got = await readQueuePage(db, { page, size: 500, search: '' });
      total = got.total;
      if (got.records.length === 0) break;
      seen.push(...got.records.map((r) => r.code));
    }
    expect(total).toBe(1_234);
    expect(seen).toHaveLength(1_234);
    expect(new Set(seen).size).toBe(1_234);
    expect(seen[0]).toBe('QP01233');
    expect(seen.at(-1)).toBe('QP00000');
  });

  it('finds records by the start of their code, ignoring case and spaces, with a count', async () => {
    const got = await readQueuePage(db, { page: 0, size: 5, search: ' qp00 12' });
    expect(got.total).toBe(10);
    expect(got.records.map((r) => r.code)).toEqual([
      'QP00124',
      'QP00123',
      'QP00122',
      'QP00121',
      'QP00120',
    ]);
    const next = await readQueuePage(db, { page: 1, size: 5, search: 'qp0012' });
    expect(next.records.map((r) => r.code)).toEqual([
      'QP00129',
      'QP00128',
      'QP00127',
      'QP00126',
      'QP00125',
    ]);
  });

  it('finds one record older than the newest 500 by its full code', async () => {
    const got = await readQueuePage(db, { page: 0, size: 100, search: 'QP00007' });
    expect(got.records.map((r) => r.code)).toEqual(['QP00007']);
  });
});

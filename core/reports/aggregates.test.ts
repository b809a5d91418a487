import { describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../ids';
import { fen } from '../money';
import {
  type AggregateRow,
  BatchDay,
  cycleBucket,
  deltasOf,
  foldRecords,
  mergeRow,
  type ReportRecord,
  returnedDeltas,
  tablesOf,
} from './aggregates';

const B = 'spring' as BatchId;
const S1 = 'store-1' as StoreId;
const S2 = 'store-2' as StoreId;
const at = (iso: string): number => Date.parse(iso);
const SH = 'Asia/Shanghai';

const redemption = (claimed: string, redeemed: string, discount = 500): ReportRecord => ({
  kind: 'redemption',
  batchId: B,
  storeId: S1,
  atMs: at(redeemed),
  claimedAtMs: at(claimed),
  discountFen: fen(discount),
});

const batchDay = (rows: AggregateRow[]): BatchDay => {
  const r = rows.find((x) => x.table === 'batch_day');
  if (r?.table !== 'batch_day') throw new Error('no batch_day row');
  return r.row;
};

describe('cycle buckets', () => {
  it('keeps 0 to 3 days apart, then 4–7 and over 7', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 400].map(cycleBucket)).toEqual([
      'cycle0',
      'cycle1',
      'cycle2',
      'cycle3',
      'cycle4to7',
      'cycle4to7',
      'cycleOver7',
      'cycleOver7',
    ]);
  });

  it('counts store-local calendar days, not 24-hour spans', () => {
    // 23:00 → 09:00 the next morning in Shanghai: 10 hours, but the next day.
    const row = batchDay(deltasOf(redemption('2026-03-01T15:00:00Z', '2026-03-02T01:00:00Z'), SH));
    expect(row.cycle1).toBe(1);
    expect(row.cycle0).toBe(0);
  });

  it('counts a redemption dated before its claim (a till clock behind) as the same day', () => {
    const row = batchDay(deltasOf(redemption('2026-03-05T02:00:00Z', '2026-03-03T02:00:00Z'), SH));
    expect(row.cycle0).toBe(1);
  });

  it('counts 8 days across a month end as over 7', () => {
    const row = batchDay(deltasOf(redemption('2026-01-28T02:00:00Z', '2026-02-05T02:00:00Z'), SH));
    expect(row.cycleOver7).toBe(1);
  });
});

describe('which day a record counts on', () => {
  it('dates a redemption at 2026-03-01T16:30Z on 2026-03-02 in Shanghai and 2026-03-01 in UTC', () => {
    const r = redemption('2026-03-01T01:00:00Z', '2026-03-01T16:30:00Z');
    expect(batchDay(deltasOf(r, SH)).date).toBe('2026-03-02');
    expect(batchDay(deltasOf(r, 'UTC')).date).toBe('2026-03-01');
    // …and the cycle follows the zone: the next day in Shanghai, the same day in UTC.
    expect(batchDay(deltasOf(r, SH)).cycle1).toBe(1);
    expect(batchDay(deltasOf(r, 'UTC')).cycle0).toBe(1);
  });

  it('puts a claim in its store-local hour', () => {
    const rows = deltasOf(
      { kind: 'claim', batchId: B, storeId: S1, atMs: at('2026-03-01T16:30:00Z') },
      SH,
    );
    expect(rows).toContainEqual({
      table: 'batch_hour',
      row: { batchId: B, storeId: S1, date: '2026-03-02', hour: 0, claims: 1, redemptions: 0 },
    });
  });
});

describe('a sale', () => {
  const sale: ReportRecord = {
    kind: 'sale',
    storeId: S2,
    atMs: at('2026-05-01T04:00:00Z'),
    subtotalFen: fen(10_000),
    tenders: [
      { kind: 'cash', amountFen: fen(3_000) },
      { kind: 'cash', amountFen: fen(1_000) },
      { kind: 'wechat_code', amountFen: fen(4_000) },
    ],
    vouchers: [
      { batchId: B, discountFen: fen(1_000) },
      { batchId: B, discountFen: fen(500) },
      { batchId: 'summer' as BatchId, discountFen: fen(500) },
    ],
  };

  it('counts once per tender, with vouchers as a tender of their discount', () => {
    const { tenderDays } = tablesOf(foldRecords(new Map(), [sale], () => SH));
    expect(tenderDays.map((t) => [t.tender, t.count, t.amountFen]).sort()).toEqual([
      ['cash', 1, 4_000],
      ['voucher', 1, 2_000],
      ['wechat_code', 1, 4_000],
    ]);
  });

  it('counts once for each batch it carried, at its subtotal', () => {
    const { batchDays } = tablesOf(foldRecords(new Map(), [sale], () => SH));
    expect(batchDays.map((d) => [d.batchId, d.voucherSales, d.voucherSalesFen]).sort()).toEqual([
      ['spring', 1, 10_000],
      ['summer', 1, 10_000],
    ]);
    // The discount is counted by the redemptions, not again by the sale.
    expect(batchDays.every((d) => d.discountFen === 0 && d.redemptions === 0)).toBe(true);
  });

  it('counts a refund on its own day and tender', () => {
    const { tenderDays } = tablesOf(
      foldRecords(
        new Map(),
        [
          sale,
          {
            kind: 'refund',
            storeId: S2,
            atMs: at('2026-05-02T04:00:00Z'),
            tender: 'cash',
            amountFen: fen(1_000),
          },
        ],
        () => SH,
      ),
    );
    expect(tenderDays.find((t) => t.date === '2026-05-02')).toEqual({
      storeId: S2,
      date: '2026-05-02',
      tender: 'cash',
      count: 0,
      amountFen: 0,
      refunds: 1,
      refundFen: 1_000,
    });
  });

  it('counts a refund paid back in two parts of one tender once, with both amounts', () => {
    const part = (amountFen: number) => ({
      kind: 'refund' as const,
      storeId: S2,
      atMs: at('2026-05-02T04:00:00Z'),
      tender: 'wechat_native' as const,
      amountFen: fen(amountFen),
    });
    const { tenderDays } = tablesOf(
      foldRecords(new Map(), [part(700), { ...part(300), furtherPart: true }], () => SH),
    );
    expect(tenderDays.map((t) => [t.tender, t.refunds, t.refundFen])).toEqual([
      ['wechat_native', 1, 1_000],
    ]);
  });
});

describe('rows', () => {
  it('are valid against their schema', () => {
    const rows = deltasOf(redemption('2026-03-01T01:00:00Z', '2026-03-09T01:00:00Z'), SH);
    expect(BatchDay.safeParse(batchDay(rows)).success).toBe(true);
  });

  it('refuse to merge rows of different keys', () => {
    const a = deltasOf(
      { kind: 'view', batchId: B, storeId: S1, atMs: at('2026-03-01T01:00:00Z') },
      SH,
    )[0];
    const b = deltasOf(
      { kind: 'view', batchId: B, storeId: S2, atMs: at('2026-03-01T01:00:00Z') },
      SH,
    )[0];
    if (a === undefined || b === undefined) throw new Error('no rows');
    expect(() => mergeRow(a, b)).toThrow(/cannot merge/);
  });

  it('fold a hand-made day into one row per key', () => {
    const records: ReportRecord[] = [
      { kind: 'view', batchId: B, storeId: S1, atMs: at('2026-03-01T01:00:00Z') },
      { kind: 'view', batchId: B, storeId: S1, atMs: at('2026-03-01T02:00:00Z') },
      { kind: 'claim', batchId: B, storeId: S1, atMs: at('2026-03-01T02:01:00Z') },
      redemption('2026-03-01T02:01:00Z', '2026-03-01T09:00:00Z', 800),
    ];
    const { batchDays, batchHours } = tablesOf(foldRecords(new Map(), records, () => SH));
    expect(batchDays).toHaveLength(1);
    expect(batchDays[0]).toMatchObject({
      views: 2,
      claims: 1,
      redemptions: 1,
      discountFen: 800,
      cycle0: 1,
    });
    expect(batchHours.map((h) => [h.hour, h.claims, h.redemptions]).sort()).toEqual([
      [10, 1, 0],
      [17, 0, 1],
    ]);
  });
});

describe('a redemption given back by a full refund', () => {
  // Redeemed 23:30 on 3 March in Shanghai, its code claimed on 1 March: cycle 2.
  const counted = redemption('2026-03-01T02:00:00Z', '2026-03-03T15:30:00Z', 800);
  if (counted.kind !== 'redemption') throw new Error('not a redemption');

  it('takes back exactly the rows its redemption added: its own day, hour and cycle bucket', () => {
    expect(returnedDeltas({ redemption: counted, voucherSale: null }, SH)).toEqual(
      deltasOf(counted, SH),
    );
    expect(batchDay(deltasOf(counted, SH))).toMatchObject({ date: '2026-03-03', cycle2: 1 });
  });

  it('takes the sale’s voucher sale of the batch back on the sale’s own day', () => {
    // Paid at 00:10 the next local day: the sale's day is not the redemption's.
    const rows = returnedDeltas(
      {
        redemption: counted,
        voucherSale: { atMs: at('2026-03-03T16:10:00Z'), subtotalFen: fen(5_600) },
      },
      SH,
    );
    expect(rows).toContainEqual({
      table: 'batch_day',
      row: expect.objectContaining({
        date: '2026-03-04',
        voucherSales: 1,
        voucherSalesFen: 5_600,
        redemptions: 0,
      }) as unknown,
    });
    expect(rows.some((r) => r.table === 'tender_day')).toBe(false);
  });

  it('keeps a sale whose voucher was returned as paid by it, but no longer a voucher sale of its batch', () => {
    const sale: ReportRecord = {
      kind: 'sale',
      storeId: S1,
      atMs: at('2026-03-03T16:10:00Z'),
      subtotalFen: fen(5_600),
      tenders: [{ kind: 'cash', amountFen: fen(4_800) }],
      vouchers: [{ batchId: B, discountFen: fen(800), returned: true }],
    };
    const read = tablesOf(foldRecords(new Map(), [sale], () => SH));
    expect(read.batchDays).toEqual([]);
    expect(read.tenderDays.map((t) => [t.tender, t.count, t.amountFen]).sort()).toEqual([
      ['cash', 1, 4_800],
      ['voucher', 1, 800],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { StoreId } from '../ids';
import { fen } from '../money';
import type { BatchId } from '../ids';
import {
  cycleHistogram,
  funnel,
  type StoreRank,
  storeDayHeatmap,
  storeDaysOf,
  sumCounts,
  type TenderLine,
} from './figures';
import {
  cycleTable,
  funnelTable,
  heatmapTable,
  hourTable,
  rankingTable,
  tenderTable,
  toCsv,
} from './table';

describe('figure tables', () => {
  it('hold one row per chart item, in chart order, with the raw values', () => {
    const bars = cycleHistogram({ ...sumCounts([]), redemptions: 3, cycle0: 1, cycleOver7: 2 });
    const t = cycleTable(bars);
    expect(t.columns.map((c) => c.key)).toEqual(['bucket', 'redemptions', 'share', 'band']);
    expect(t.rows).toEqual(bars.map((b) => [b.bucket, b.redemptions, b.share, b.band]));
  });

  it('print as CSV with a zh-CN or English header and the same rows', () => {
    const f = funnel({
      ...sumCounts([]),
      views: 3,
      claims: 1,
      redemptions: 1,
      discountFen: fen(1_234),
    });
    expect(toCsv(funnelTable(f), 'zh-CN')).toBe(
      '\uFEFF浏览,领取,核销,领取转化率,核销率,优惠金额（元）,用券订单数,用券订单金额（元）\r\n' +
        '3,1,1,33.33%,100.00%,12.34,0,0.00\r\n',
    );
    expect(toCsv(funnelTable(f), 'en').split('\r\n')[0]).toBe(
      '\uFEFFViews,Claims,Redemptions,Claim conversion,Redemption rate,Discount (yuan),Sales with the voucher,Their total (yuan)',
    );
  });

  it('print keys in the locale, an empty cell for no rate and signed net amounts', () => {
    const bars = cycleHistogram(sumCounts([]));
    expect(toCsv(cycleTable(bars), 'zh-CN').split('\r\n')[6]).toBe('7 天以上,0,,预警');
    const line: TenderLine = {
      storeId: 's1' as StoreId,
      date: '2026-04-02',
      tender: 'wechat_code',
      count: 0,
      amountFen: fen(0),
      refunds: 1,
      refundFen: fen(805),
      netFen: -805,
    };
    expect(toCsv(tenderTable([line]), 'en').split('\r\n')[1]).toBe(
      's1,2026-04-02,Payment code,0,0.00,1,8.05,-8.05',
    );
  });

  it('quote commas and quotes, and defuse text a spreadsheet would run as a formula', () => {
    const rank = (storeId: string): StoreRank => ({
      rank: 1,
      storeId: storeId as StoreId,
      redemptions: 0,
      discountFen: fen(0),
      voucherSales: 0,
      voucherSalesFen: fen(0),
    });
    const csv = toCsv(rankingTable([rank('=HYPERLINK("x")'), rank('a,b')]), 'en').split('\r\n');
    expect(csv[1]).toBe(`1,"'=HYPERLINK(""x"")",0,0.00,0,0.00`);
    expect(csv[2]).toBe('1,"a,b",0,0.00,0,0.00');
  });

  it('print hours as numbers 0 to 23', () => {
    const rows = toCsv(hourTable([{ hour: 0, claims: 2, redemptions: 1 }]), 'zh-CN').split('\r\n');
    expect(rows.slice(0, 2)).toEqual(['\uFEFF时段,领取,核销', '0,2,1']);
  });

  it('print the heatmap as one row per cell, quiet days included', () => {
    const s1 = 's1' as StoreId;
    const cells = storeDayHeatmap(
      storeDaysOf([
        {
          ...sumCounts([]),
          batchId: 'b' as BatchId,
          storeId: s1,
          date: '2026-01-31',
          redemptions: 2,
          discountFen: fen(1_000),
        },
      ]),
      [s1],
      '2026-01-31',
      '2026-02-01',
    );
    expect(toCsv(heatmapTable(cells), 'en')).toBe(
      '\uFEFFStore,Date,Redemptions,Discount (yuan)\r\ns1,2026-01-31,2,10.00\r\ns1,2026-02-01,0,0.00\r\n',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { BatchId } from '../../../core/ids';
import type { AlertsAnswer, AlertView } from '../../../core/protocol/index';
import { ReportThresholds } from '../../../core/reports/alerts';
import { alertHistory } from './history';

const b1 = 'b1' as BatchId;
const b2 = 'b2' as BatchId;

const thresholds = ReportThresholds.parse({});
const low = (batchId: BatchId): AlertView => ({
  alert: { code: 'LOW_REDEMPTION_RATE', batchId, since: '2026-03-01', days: 3, rateBp: 100 },
  message: { 'zh-CN': '低', en: 'low' },
});
const conversion = (batchId: BatchId): AlertView => ({
  alert: { code: 'LOW_CLAIM_CONVERSION', batchId, rateBp: 900 },
  message: { 'zh-CN': '转化低', en: 'conversion low' },
});
const day = (date: string, alerts: AlertView[]): AlertsAnswer => ({ date, thresholds, alerts });

describe('alertHistory', () => {
  it('names the day an alert was raised and the day it cleared, newest first', () => {
    const events = alertHistory([
      day('2026-03-01', []),
      day('2026-03-02', [conversion(b1)]),
      day('2026-03-03', [conversion(b1), low(b1)]),
      day('2026-03-04', [low(b1)]),
    ]);
    expect(events.map((e) => [e.day, e.kind, e.view.alert.code, e.open])).toEqual([
      ['2026-03-04', 'cleared', 'LOW_CLAIM_CONVERSION', false],
      ['2026-03-03', 'raised', 'LOW_REDEMPTION_RATE', true],
      ['2026-03-02', 'raised', 'LOW_CLAIM_CONVERSION', false],
    ]);
  });

  it('takes the first day as the baseline and tells batches apart under one rule', () => {
    const events = alertHistory([
      day('2026-02-28', [low(b1)]),
      day('2026-03-01', [low(b1), low(b2)]),
    ]);
    expect(events.map((e) => [e.day, e.kind, e.view.alert.batchId])).toEqual([
      ['2026-03-01', 'raised', 'b2'],
    ]);
    expect(alertHistory([])).toEqual([]);
  });
});

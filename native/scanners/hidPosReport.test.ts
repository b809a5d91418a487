import { describe, expect, it } from 'vitest';
import {
  HONEYWELL_EAN13_REPORT,
  STATUS_REPORT,
  scannedDataReports,
} from '../../test/sim/hidReports';
import { HidPosAssembler, parseHidPosReport } from './hidPosReport';

const decode = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('HID POS input reports', () => {
  it('reads length, AIM id and data from a report with the report id first', () => {
    const chunk = parseHidPosReport(HONEYWELL_EAN13_REPORT);
    expect(chunk?.aim).toBe(']E0');
    expect(decode(chunk?.data ?? new Uint8Array())).toBe('6901234567892');
    expect(chunk?.continued).toBe(false);
  });

  it('reads the same report without its id (WebHID layout)', () => {
    const chunk = parseHidPosReport(HONEYWELL_EAN13_REPORT.subarray(1), false);
    expect(decode(chunk?.data ?? new Uint8Array())).toBe('6901234567892');
  });

  it('ignores reports that are not scanned data', () => {
    expect(parseHidPosReport(STATUS_REPORT)).toBeNull();
  });

  it('joins continuation reports of a long QR code into one scan', () => {
    const payload = `https://wx.example.cn/v/${'A1B2C3D4'.repeat(15)}`;
    const reports = scannedDataReports(']Q1', payload);
    expect(reports.length).toBe(3);
    const scans: { aim: string; text: string }[] = [];
    const assembler = new HidPosAssembler(({ aim, data }) =>
      scans.push({ aim, text: decode(data) }),
    );
    for (const r of reports) assembler.push(r);
    expect(scans).toEqual([{ aim: ']Q1', text: payload }]);
  });

  it('keeps UTF-8 Chinese split across reports intact', () => {
    const payload = '代金券'.repeat(10);
    const scans: string[] = [];
    const assembler = new HidPosAssembler(({ data }) => scans.push(decode(data)));
    for (const r of scannedDataReports(']Q1', payload)) assembler.push(r);
    expect(scans).toEqual([payload]);
  });
});

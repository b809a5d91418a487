import { describe, expect, it } from 'vitest';
import type { PrinterStatus } from '../../core/devices/status';
import { StatusReader, refusalFor, statusFromRealtime } from './status';

describe('printer status parsing', () => {
  it('reads a ready printer from DLE EOT 1, 2 and 4 answers', () => {
    expect(statusFromRealtime({ printer: 0x16, offlineCause: 0x12, paper: 0x12 })).toEqual({
      online: true,
      coverOpen: false,
      paperEnd: false,
      paperNearEnd: false,
    });
  });

  it('reads paper end, cover open and near end', () => {
    expect(statusFromRealtime({ printer: 0x1e, offlineCause: 0x36, paper: 0x7e })).toEqual({
      online: false,
      coverOpen: true,
      paperEnd: true,
      paperNearEnd: true,
    });
  });

  it('separates real-time answers from automatic status back in one stream', () => {
    const realtime: number[] = [];
    const asb: PrinterStatus[] = [];
    const reader = new StatusReader(
      (b) => realtime.push(b),
      (s) => asb.push(s),
    );
    reader.push(Uint8Array.of(0x16, 0x38, 0x00));
    reader.push(Uint8Array.of(0x0c, 0x00, 0x12));
    expect(realtime).toEqual([0x16, 0x12]);
    expect(asb).toEqual([{ online: false, coverOpen: true, paperEnd: true, paperNearEnd: false }]);
  });

  it('refuses paper end before cover open, and says what to do', () => {
    const r = refusalFor({ online: false, coverOpen: true, paperEnd: true, paperNearEnd: false });
    expect(r?.code).toBe('PAPER_END');
    expect(r?.message).toMatch(/Load a new roll/);
    expect(
      refusalFor({ online: true, coverOpen: false, paperEnd: false, paperNearEnd: true }),
    ).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { FrameAssembler } from './frameAssembler';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('serial scanner framing', () => {
  it('ends scans at CR, LF and CR LF without empty scans between', () => {
    const frames: string[] = [];
    const f = new FrameAssembler(1_000, (b) => frames.push(text(b)));
    f.push(Buffer.from('AAA\r\nBB'));
    f.push(Buffer.from('B\rCCC\n\n'));
    f.reset();
    expect(frames).toEqual(['AAA', 'BBB', 'CCC']);
  });

  it('ends a scan with no terminator once the line goes quiet', async () => {
    const frames: string[] = [];
    const f = new FrameAssembler(20, (b) => frames.push(text(b)));
    f.push(Buffer.from(']E0690'));
    f.push(Buffer.from('1234567892'));
    await new Promise((r) => setTimeout(r, 80));
    expect(frames).toEqual([']E06901234567892']);
  });
});

import { describe, expect, it } from 'vitest';
import { createWedgeDetector } from './wedge-detector';

function feed(keys: string, startMs: number, gapMs: number, detector = createWedgeDetector()) {
  let t = startMs;
  let last: string | null = null;
  for (const key of [...keys, 'Enter']) {
    last = detector.key(key, t).scan;
    t += gapMs;
  }
  return last;
}

describe('keyboard-wedge detection', () => {
  it('reports a fast burst ending in Enter as a scan', () => {
    expect(feed('6901234567892', 1000, 4)).toBe('6901234567892');
  });

  it('ignores the same keys typed at human speed', () => {
    expect(feed('6901234567892', 1000, 120)).toBeNull();
  });

  it('keeps only the fast burst after a slow key', () => {
    const detector = createWedgeDetector();
    detector.key('x', 0);
    expect(feed('ABCD-1234', 500, 5, detector)).toBe('ABCD-1234');
  });

  it('ignores a burst shorter than a code', () => {
    expect(feed('12', 0, 3)).toBeNull();
  });

  it('ignores Enter that comes long after the burst', () => {
    const detector = createWedgeDetector();
    for (const [i, k] of [...'ABCDEF'].entries()) detector.key(k, i * 5);
    expect(detector.key('Enter', 5_000).scan).toBeNull();
  });
});

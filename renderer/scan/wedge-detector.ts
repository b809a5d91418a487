/**
 * Tells a keyboard-wedge scanner from a person by timing: a scanner types a whole code with a
 * few milliseconds between keys and ends with Enter; people type at 80 ms or more per key.
 */
export interface WedgeOptions {
  /** Longest gap between two scanner keystrokes. */
  readonly maxGapMs: number;
  /** Shortest code worth treating as a scan. */
  readonly minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 35, minLength: 4 };

export interface WedgeDetector {
  /**
   * Feeds one key. Returns the scanned text when this key is the Enter that ends a fast burst,
   * else null. `consumed` says the key belongs to a burst in progress (so it should not reach a
   * button or field that does not expect it).
   */
  readonly key: (
    key: string,
    atMs: number,
  ) => { readonly scan: string | null; readonly inBurst: boolean };
  readonly reset: () => void;
}

export function createWedgeDetector(options: WedgeOptions = DEFAULT_WEDGE): WedgeDetector {
  let buffer = '';
  let lastAt = -Infinity;
  let fast = true;
  return {
    key: (key, atMs) => {
      const gap = atMs - lastAt;
      lastAt = atMs;
      if (key === 'Enter') {
        const text = buffer;
        const wasFast = fast && gap <= options.maxGapMs;
        buffer = '';
        fast = true;
        return { scan: wasFast && text.length >= options.minLength ? text : null, inBurst: false };
      }
      if (key.length !== 1) return { scan: null, inBurst: false };
      if (buffer.length > 0 && gap > options.maxGapMs) {
        // A slow key: whatever came before was typed by a person; start afresh from this key.
        buffer = '';
        fast = true;
      }
      buffer += key;
      return { scan: null, inBurst: buffer.length > 1 };
    },
    reset: () => {
      buffer = '';
      lastAt = -Infinity;
      fast = true;
    },
  };
}

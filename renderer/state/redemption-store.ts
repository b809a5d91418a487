import { create } from 'zustand';
import type { VoucherCode } from '../../core/ids';
import type { RecordResult } from '../data/record-result';

export type Shown = RecordResult | { readonly kind: 'notice'; readonly message: string };

export interface QuickResult {
  readonly seq: number;
  readonly code: VoucherCode | string;
  /** What the screen said; a result with a record is shown as that record now stands. */
  readonly result: Shown;
  /** Shown again after a reload: the screen did not just say it. */
  readonly restored?: { readonly at: number };
}

interface RedemptionSlice {
  readonly current: QuickResult | null;
  readonly recent: readonly QuickResult[];
  /** A scan is being decided: "checking…" replaces the previous customer's result at once. */
  readonly start: (code: string) => void;
  readonly show: (code: string, result: Shown) => void;
  /** The last result before a reload, unless something newer is on screen already. */
  readonly restore: (code: string, result: Shown, at: number) => void;
}

let seq = 0;

/** Quick redeem: the result on screen and the last few before it. */
export const useRedemptionStore = create<RedemptionSlice>()((set) => {
  const push = (s: RedemptionSlice, entry: QuickResult) => {
    const previous = s.current && s.current.result.kind !== 'checking' ? [s.current] : [];
    return { current: entry, recent: [...previous, ...s.recent].slice(0, 7) };
  };
  return {
    current: null,
    recent: [],
    start: (code) =>
      set((s) => {
        seq += 1;
        return push(s, { seq, code, result: { kind: 'checking' } });
      }),
    show: (code, result) =>
      set((s) => {
        seq += 1;
        const entry: QuickResult = { seq, code, result };
        if (s.current?.result.kind === 'checking') {
          // The answer to the scan being checked takes its place; an answer to an earlier scan
          // goes below it.
          if (s.current.code === code) return { current: entry };
          return { recent: [entry, ...s.recent].slice(0, 7) };
        }
        return push(s, entry);
      }),
    restore: (code, result, at) =>
      set((s) => {
        if (s.current !== null) return {};
        seq += 1;
        return { current: { seq, code, result, restored: { at } } };
      }),
  };
});

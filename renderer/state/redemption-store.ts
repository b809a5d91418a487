import { create } from 'zustand';
import type { VoucherCode } from '../../core/ids';
import type { RedeemResult } from '../data/redeem';

export interface QuickResult {
  readonly seq: number;
  readonly code: VoucherCode | string;
  readonly result: RedeemResult | { readonly kind: 'notice'; readonly message: string };
}

interface RedemptionSlice {
  readonly busy: boolean;
  readonly current: QuickResult | null;
  readonly recent: readonly QuickResult[];
  readonly start: () => void;
  readonly show: (code: string, result: QuickResult['result']) => void;
}

let seq = 0;

/** Quick redeem: the result on screen and the last few before it. */
export const useRedemptionStore = create<RedemptionSlice>()((set) => ({
  busy: false,
  current: null,
  recent: [],
  start: () => set({ busy: true }),
  show: (code, result) =>
    set((s) => {
      seq += 1;
      const entry: QuickResult = { seq, code, result };
      return { busy: false, current: entry, recent: [entry, ...s.recent].slice(0, 8) };
    }),
}));

import { create } from 'zustand';
import type { ShiftReport } from '../../core/protocol/index';
import type { ApiFailure } from '../data/api-client';
import type { ShiftRecord } from '../data/records';

/** Why the last shift request did not go through: the server unreachable, or its definite no. */
export type ShiftProblem =
  | { readonly kind: 'offline' }
  | { readonly kind: 'server'; readonly failure: Pick<ApiFailure, 'code' | 'message'> };

interface ShiftSlice {
  /** The shift this till is in (or opening, or closing); null between shifts. */
  readonly current: ShiftRecord | null;
  /** The server's report: of the open shift up to now, or of the shift just closed. */
  readonly report: ShiftReport | null;
  readonly busy: boolean;
  readonly problem: ShiftProblem | null;
  readonly set: (part: Partial<Omit<ShiftSlice, 'set'>>) => void;
}

/** The till's shift (交班): what is open, the server's last report of it, a request under way. */
export const useShiftStore = create<ShiftSlice>()((set) => ({
  current: null,
  report: null,
  busy: false,
  problem: null,
  set: (part) => set(part),
}));

/**
 * The shift a sale written now belongs to; null between shifts. A shift still being opened has
 * its id already (written ahead), and the server counts the sale in it once the opening arrives.
 */
export function openShiftId(): ShiftRecord['shiftId'] | null {
  return useShiftStore.getState().current?.shiftId ?? null;
}

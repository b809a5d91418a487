import { create } from 'zustand';
import type { StorageProblem } from '../data/storage-health';
import type { ProtocolProblem } from '../data/network-trouble';
import type { SyncStatus } from '../data/sync-engine';

interface SyncSlice {
  /** null until the sync engine has read the queue: the bar must not claim "0 queued" before it knows. */
  readonly status: SyncStatus | null;
  readonly storageProblem: StorageProblem | null;
  readonly protocolError: ProtocolProblem | null;
  readonly setStatus: (status: SyncStatus) => void;
  readonly setStorageProblem: (problem: StorageProblem | null) => void;
  readonly setProtocolError: (problem: ProtocolProblem | null) => void;
}

/** The status bar's data: connectivity, queue, allowance and problems to show. */
export const useSyncStore = create<SyncSlice>()((set) => ({
  status: null,
  storageProblem: null,
  protocolError: null,
  setStatus: (status) => set({ status }),
  setStorageProblem: (storageProblem) => set({ storageProblem }),
  setProtocolError: (protocolError) => set({ protocolError }),
}));

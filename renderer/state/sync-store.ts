import { create } from 'zustand';
import type { StorageProblem } from '../data/storage-health';
import type { SyncStatus } from '../data/sync-engine';

interface SyncSlice {
  readonly status: SyncStatus;
  readonly storageProblem: StorageProblem | null;
  readonly protocolError: string | null;
  readonly setStatus: (status: SyncStatus) => void;
  readonly setStorageProblem: (problem: StorageProblem | null) => void;
  readonly setProtocolError: (message: string | null) => void;
}

const initial: SyncStatus = {
  online: true,
  lastSyncAt: null,
  queued: 0,
  conflicts: 0,
  allowance: null,
  draining: false,
  lastError: null,
};

/** The status bar's data: connectivity, queue, allowance and problems to show. */
export const useSyncStore = create<SyncSlice>()((set) => ({
  status: initial,
  storageProblem: null,
  protocolError: null,
  setStatus: (status) => set({ status }),
  setStorageProblem: (storageProblem) => set({ storageProblem }),
  setProtocolError: (protocolError) => set({ protocolError }),
}));

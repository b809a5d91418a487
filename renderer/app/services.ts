import { createApiClient, type ApiClient } from '../data/api-client';
import { createConnectivity, type Connectivity } from '../data/connectivity';
import { TillpointDb } from '../data/db';
import { browserDeps, type Deps } from '../data/deps';
import type { ProtocolProblem } from '../data/network-trouble';
import { createRedeemer, type Redeemer } from '../data/redeem';
import type { TerminalRecord } from '../data/records';
import { createStorageHealth, type StorageHealth } from '../data/storage-health';
import { startSyncEngine, type SyncEngine } from '../data/sync-engine';
import type { TerminalContext } from '../data/terminal-context';
import { createDeviceClient, type DeviceClient } from '../devices/deviceClient';
import { createDevicesStore, type DevicesStore } from '../state/devices-store';
import { useSessionStore } from '../state/session-store';
import { useSyncStore } from '../state/sync-store';

/** The data layer of this window, wired once. */
export interface BaseServices {
  readonly db: TillpointDb;
  readonly deps: Deps;
  readonly storage: StorageHealth;
  readonly connectivity: Connectivity;
}

/** Everything that needs a paired terminal. */
export interface TerminalServices {
  readonly terminal: TerminalRecord;
  readonly api: ApiClient;
  readonly redeemer: Redeemer;
  readonly engine: SyncEngine;
}

export const base: BaseServices = (() => {
  const storage = createStorageHealth();
  storage.subscribe((p) => useSyncStore.getState().setStorageProblem(p));
  return {
    db: new TillpointDb(),
    deps: browserDeps,
    storage,
    connectivity: createConnectivity(navigator.onLine !== false),
  };
})();

let current: TerminalServices | null = null;

export function terminalServices(): TerminalServices | null {
  return current;
}

/** Starts the API client, redeemer and sync engine for a paired terminal. */
export function startTerminal(
  terminal: TerminalRecord,
  serverOverride: string | null,
): TerminalServices {
  current?.engine.stop();
  const { db, deps, storage, connectivity } = base;
  const api = createApiClient({
    baseUrl: serverOverride ?? terminal.serverUrl,
    terminalToken: () => terminal.token,
    sessionToken: () => useSessionStore.getState().session?.token ?? null,
  });
  // The cashier reads what it means in their language; the server's English detail is for the log.
  const onProtocolError = (problem: ProtocolProblem): void => {
    console.warn(`[tillpoint] ${problem.code}: ${problem.message}`);
    useSyncStore.getState().setProtocolError(problem);
  };
  const context: TerminalContext = { db, api, deps, terminal, connectivity, storage };
  const engine = startSyncEngine({
    ...context,
    onStatus: (status) => useSyncStore.getState().setStatus(status),
    onProtocolError,
  });
  const redeemer = createRedeemer({
    ...context,
    nudgeQueue: engine.nudge,
    onProtocolError,
  });
  current = { terminal, api, redeemer, engine };
  return current;
}

/** The counter hardware of this window: one device client and the devices slice over it. */
export interface DeviceServices {
  readonly client: DeviceClient;
  readonly store: DevicesStore;
}

let devices: DeviceServices | null = null;

export function deviceServices(): DeviceServices | null {
  return devices;
}

/**
 * Connects this window to its devices once: the Electron preload bridge when present, else the
 * device host at `hostUrl`; with neither, every call answers DEVICE_HOST_UNAVAILABLE, which the
 * Devices screen shows (keyboard-wedge scanning works regardless). Later calls return the first.
 */
export function startDevices(hostUrl: string | null): DeviceServices {
  if (devices) return devices;
  const client = createDeviceClient({ hostUrl: hostUrl ?? undefined });
  const reachable = hostUrl !== null || window.tillpoint !== undefined;
  // With nowhere to connect, retrying only repeats the same message.
  const store = createDevicesStore(client, { retryMs: reachable ? 3_000 : 0 });
  store.getState().start();
  devices = { client, store };
  return devices;
}

export function stopTerminal(): void {
  current?.engine.stop();
  current = null;
}

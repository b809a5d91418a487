import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DeviceConfig, type DiscoveredPort } from '../../core/devices/config';
import type { DeviceErrorCode } from '../../core/devices/errors';
import { PrintJobId, type DeviceId } from '../../core/devices/ids';
import type { ScanEvent } from '../../core/devices/scan';
import type { DeviceStatus, PrintJobEvent } from '../../core/devices/status';
import type { PrintOutcome } from '../../core/devices/contract';
import type { Err } from '../../core/result';
import type { DeviceClient } from '../devices/deviceClient';

/** What the screen was doing when something failed, so the message can say so. */
export type DeviceAction =
  | 'list'
  | 'discover'
  | 'save'
  | 'remove'
  | 'default'
  | 'open'
  | 'close'
  | 'status'
  | 'testPrint'
  | 'job';

/** A failure code from the device service, or a queued job that failed after the call returned. */
export type ProblemCode = DeviceErrorCode | 'JOB_FAILED';

/** One failure, kept on screen until the manager dismisses it or it is resolved. */
export interface DeviceProblem {
  readonly id: number;
  readonly action: DeviceAction;
  readonly code: ProblemCode;
  /** The service's own message: names the device and the cause. */
  readonly message: string;
  readonly deviceId: DeviceId | null;
  readonly at: string;
  /** The same failure again (a retried call): counted, not listed twice. */
  readonly count: number;
}

export type HostState = 'connecting' | 'ready' | 'unavailable';

/** How the last test print went; a failure is also listed among the problems. */
export interface TestPrintDone {
  readonly printerId: DeviceId;
  readonly outcome: PrintOutcome['outcome'] | 'failed';
  /** Why it failed; null when it did not. */
  readonly code: DeviceErrorCode | null;
  readonly at: string;
}

export interface DevicesState {
  readonly host: HostState;
  readonly devices: readonly DeviceStatus[];
  readonly defaultPrinterId: DeviceId | null;
  /** Saved configurations by device id (paper width, port), from the device list. */
  readonly configs: Readonly<Record<string, DeviceConfig>>;
  /** null until the manager looks for ports. */
  readonly ports: readonly DiscoveredPort[] | null;
  readonly lastScan: ScanEvent | null;
  readonly lastTestPrint: TestPrintDone | null;
  readonly lastJob: PrintJobEvent | null;
  readonly problems: readonly DeviceProblem[];
  /** Calls under way, by busyKey(action, deviceId): their buttons wait. */
  readonly busy: Readonly<Record<string, true>>;

  /** Listens to status, scan and job events and loads the list; returns the function that stops. */
  readonly start: () => () => void;
  readonly refresh: () => Promise<boolean>;
  readonly discover: () => Promise<boolean>;
  readonly save: (device: DeviceConfig) => Promise<boolean>;
  readonly remove: (deviceId: DeviceId) => Promise<boolean>;
  readonly setDefault: (printerId: DeviceId) => Promise<boolean>;
  readonly open: (deviceId: DeviceId) => Promise<boolean>;
  readonly close: (deviceId: DeviceId) => Promise<boolean>;
  readonly checkStatus: (printerId: DeviceId) => Promise<boolean>;
  readonly testPrint: (printerId: DeviceId) => Promise<boolean>;
  readonly dismiss: (problemId: number) => void;
  /** Shows a scan read outside the device service (a keyboard-wedge scanner) as the last scan. */
  readonly noteScan: (scan: ScanEvent) => void;
}

export type DevicesStore = StoreApi<DevicesState>;

export interface DevicesStoreOptions {
  readonly now?: () => Date;
  readonly newJobId?: () => PrintJobId;
  /** While the device host is unreachable, try the list again this often (0: never). */
  readonly retryMs?: number;
}

export const busyKey = (action: DeviceAction, deviceId: DeviceId | null = null): string =>
  deviceId === null ? action : `${action}:${deviceId}`;

/** A copy of a record without one key. */
function without<V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

/** Keeps at most this many problems; the oldest go first. */
const MAX_PROBLEMS = 20;

/**
 * The device settings slice over one device client: configured devices with
 * their live status, ports found, the last scan, and every failure as a
 * problem to show. Business rules stay in core/; this only mirrors the
 * device service and remembers what went wrong.
 */
export function createDevicesStore(
  client: DeviceClient,
  options: DevicesStoreOptions = {},
): DevicesStore {
  const now = options.now ?? (() => new Date());
  const newJobId = options.newJobId ?? ((): PrintJobId => PrintJobId.parse(uuidv7()));
  const retryMs = options.retryMs ?? 3_000;
  let nextProblemId = 1;

  return createStore<DevicesState>()((set, get) => {
    const report = (action: DeviceAction, deviceId: DeviceId | null, failure: Err<ProblemCode>) =>
      set((s) => {
        const last = s.problems[s.problems.length - 1];
        const at = now().toISOString();
        const host: HostState = failure.code === 'DEVICE_HOST_UNAVAILABLE' ? 'unavailable' : s.host;
        if (
          last !== undefined &&
          last.action === action &&
          last.code === failure.code &&
          last.deviceId === deviceId &&
          last.message === failure.message
        ) {
          const again: DeviceProblem = { ...last, at, count: last.count + 1 };
          return { host, problems: [...s.problems.slice(0, -1), again] };
        }
        const problem: DeviceProblem = {
          id: nextProblemId++,
          action,
          code: failure.code,
          message: failure.message,
          deviceId,
          at,
          count: 1,
        };
        return { host, problems: [...s.problems, problem].slice(-MAX_PROBLEMS) };
      });

    /** The host answered: it is reachable, so "cannot reach the host" problems are over. */
    const reached = (): void =>
      set((s) =>
        s.host === 'ready'
          ? s
          : {
              host: 'ready',
              problems: s.problems.filter((p) => p.code !== 'DEVICE_HOST_UNAVAILABLE'),
            },
      );

    /** Runs one call with its busy flag; a failure becomes a problem, never a throw. */
    const run = async <T>(
      action: DeviceAction,
      deviceId: DeviceId | null,
      call: () => Promise<{ ok: true; value: T } | Err<DeviceErrorCode>>,
      onOk: (value: T) => void,
    ): Promise<boolean> => {
      const key = busyKey(action, deviceId);
      set((s) => ({ busy: { ...s.busy, [key]: true } }));
      try {
        const result = await call();
        if (result.ok) {
          reached();
          onOk(result.value);
        } else {
          report(action, deviceId, result);
        }
        return result.ok;
      } finally {
        set((s) => ({ busy: without(s.busy, key) }));
      }
    };

    const upsert = (status: DeviceStatus): void =>
      set((s) => {
        const at = s.devices.findIndex((d) => d.deviceId === status.deviceId);
        if (at < 0) return { devices: [...s.devices, status] };
        const devices = [...s.devices];
        devices[at] = status;
        return { devices };
      });

    const refresh = (): Promise<boolean> =>
      run(
        'list',
        null,
        () => client.listDevices({}),
        (list) =>
          set({
            devices: list.devices,
            configs: Object.fromEntries(list.configs.map((c) => [c.id, c])),
            defaultPrinterId: list.defaultPrinterId,
          }),
      );

    return {
      host: 'connecting',
      devices: [],
      defaultPrinterId: null,
      configs: {},
      ports: null,
      lastScan: null,
      lastTestPrint: null,
      lastJob: null,
      problems: [],
      busy: {},

      start: () => {
        const offs = [
          client.on('status', (status) => {
            reached();
            upsert(status);
          }),
          client.on('scan', (scan) => set({ lastScan: scan })),
          client.on('job', (job) => {
            set({ lastJob: job });
            if (job.outcome === 'printed') return;
            const code: ProblemCode = job.outcome === 'expired' ? 'JOB_EXPIRED' : 'JOB_FAILED';
            report('job', job.printerId, { ok: false, code, message: job.message });
          }),
        ];
        // A host started after the app (or restarted) is found again without a reload.
        const timer =
          retryMs > 0
            ? setInterval(() => {
                if (get().host === 'unavailable' && get().busy[busyKey('list')] === undefined)
                  void refresh();
              }, retryMs)
            : null;
        void refresh();
        return () => {
          for (const off of offs) off();
          if (timer !== null) clearInterval(timer);
        };
      },

      refresh,

      discover: () =>
        run(
          'discover',
          null,
          () => client.discoverPorts({}),
          (ports) => set({ ports }),
        ),

      save: async (device) => {
        // The form checks first; this guard keeps a bad config from ever reaching the host.
        const checked = DeviceConfig.safeParse(device);
        if (!checked.success) {
          report('save', null, {
            ok: false,
            code: 'BAD_REQUEST',
            message: z.prettifyError(checked.error),
          });
          return false;
        }
        const saved = await run(
          'save',
          device.id,
          () => client.saveDevice({ device: checked.data }),
          (status) => {
            upsert(status);
            set((s) => ({ configs: { ...s.configs, [device.id]: checked.data } }));
          },
        );
        // saveDevice may have made it the default printer; the list says.
        if (saved) await refresh();
        return saved;
      },

      remove: async (deviceId) => {
        const removed = await run(
          'remove',
          deviceId,
          () => client.removeDevice({ deviceId }),
          () =>
            set((s) => ({
              devices: s.devices.filter((d) => d.deviceId !== deviceId),
              configs: without(s.configs, deviceId),
            })),
        );
        if (removed) await refresh();
        return removed;
      },

      setDefault: (printerId) =>
        run(
          'default',
          printerId,
          () => client.setDefaultPrinter({ printerId }),
          (list) => set({ devices: list.devices, defaultPrinterId: list.defaultPrinterId }),
        ),

      open: (deviceId) => run('open', deviceId, () => client.openDevice({ deviceId }), upsert),

      close: (deviceId) => run('close', deviceId, () => client.closeDevice({ deviceId }), upsert),

      checkStatus: (printerId) =>
        run(
          'status',
          printerId,
          () => client.printerStatus({ printerId }),
          (printer) =>
            set((s) => ({
              devices: s.devices.map((d) =>
                d.deviceId === printerId ? { ...d, printer, at: now().toISOString() } : d,
              ),
            })),
        ),

      testPrint: async (printerId) => {
        // The previous outcome must not stand for this attempt while it runs.
        set({ lastTestPrint: null });
        let code: DeviceErrorCode | null = null;
        const printed = await run(
          'testPrint',
          printerId,
          async () => {
            const result = await client.testPrint({ printerId, jobId: newJobId() });
            if (!result.ok) code = result.code;
            return result;
          },
          (outcome) =>
            set({
              lastTestPrint: {
                printerId: outcome.printerId,
                outcome: outcome.outcome,
                code: null,
                at: now().toISOString(),
              },
            }),
        );
        if (!printed)
          set({ lastTestPrint: { printerId, outcome: 'failed', code, at: now().toISOString() } });
        return printed;
      },

      dismiss: (problemId) =>
        set((s) => ({ problems: s.problems.filter((p) => p.id !== problemId) })),

      noteScan: (scan) => set({ lastScan: scan }),
    };
  });
}

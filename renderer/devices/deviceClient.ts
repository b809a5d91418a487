import {
  DEVICE_METHOD_NAMES,
  deviceEvents,
  type DeviceApi,
  type DeviceCalls,
  type DeviceEventName,
  type DeviceListener,
  type DeviceMethodName,
  type DeviceResult,
} from '../../core/devices/contract';
import type { DeviceErrorCode } from '../../core/devices/errors';
import { HostFrame, resultSchema } from '../../core/devices/wire';
import { err, type Err } from '../../core/result';

/**
 * The renderer's one door to the counter hardware. In Electron it talks to
 * `window.tillpoint` (the preload's bridge); in a plain browser to the local
 * device host over WebSocket. Both are typed from core/devices, and both
 * answers are validated here, so the app cannot tell which one it has.
 */
export interface DeviceClient extends DeviceApi {
  /** Stops listening and drops the connection; calls after this fail with a value. */
  close(): void;
}

/** The parts of a WebSocket this client uses: the browser's, or the `ws` package's in Node. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface DeviceClientOptions {
  /** The Electron bridge; defaults to `window.tillpoint` when the preload exposed it. */
  readonly bridge?: DeviceApi | undefined;
  /** The device host URL with its token, as printed by `native/host/cli.ts`. */
  readonly hostUrl?: string | undefined;
  /** Opens sockets; defaults to the global WebSocket. */
  readonly socket?: SocketFactory | undefined;
  /** How long one call waits for its answer. */
  readonly callTimeoutMs?: number;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly tillpoint?: DeviceApi;
  }
}

const OPEN = 1;

/** Chooses the Electron bridge when present, else the device host. */
export function createDeviceClient(options: DeviceClientOptions = {}): DeviceClient {
  const bridge = options.bridge ?? (typeof window === 'undefined' ? undefined : window.tillpoint);
  if (bridge !== undefined) return bridgeClient(bridge);
  if (options.hostUrl !== undefined) {
    const socket =
      options.socket ??
      ((url: string): SocketLike => {
        if (typeof WebSocket === 'undefined') throw new Error('this runtime has no WebSocket');
        return new WebSocket(url);
      });
    return socketClient(options.hostUrl, socket, options.callTimeoutMs ?? 20_000);
  }
  return unavailableClient(
    'No device connection is configured: start Tillpoint in Electron, or give the app the device host URL.',
  );
}

function buildCalls(
  call: (method: DeviceMethodName, input: unknown) => Promise<DeviceResult<DeviceMethodName>>,
): DeviceCalls {
  const calls: Partial<Record<DeviceMethodName, (input: unknown) => Promise<unknown>>> = {};
  for (const method of DEVICE_METHOD_NAMES) calls[method] = (input) => call(method, input);
  // Every key of the contract was filled just above, each with its own method's call.
  return calls as unknown as DeviceCalls;
}

/** Checks what came back against the method's schema. */
function checked<K extends DeviceMethodName>(method: K, raw: unknown): DeviceResult<K> {
  const parsed = resultSchema(method).safeParse(raw);
  if (parsed.success) return parsed.data as DeviceResult<K>;
  return err(
    'INTERNAL',
    `The device service answered ${method} with something unexpected. Restart Tillpoint; if it persists, report it.`,
  );
}

function checkedListener<E extends DeviceEventName>(
  event: E,
  listener: DeviceListener<E>,
): (payload: unknown) => void {
  return (payload) => {
    const parsed = deviceEvents[event].safeParse(payload);
    if (parsed.success) listener(parsed.data as Parameters<DeviceListener<E>>[0]);
    else console.error(`dropped a malformed ${event} event from the device service`);
  };
}

function bridgeClient(bridge: DeviceApi): DeviceClient {
  const subscriptions = new Set<() => void>();
  let closed = false;
  const calls = buildCalls(async (method, input) => {
    if (closed) return closedError();
    const fn = bridge[method] as (value: unknown) => Promise<unknown>;
    try {
      return checked(method, await fn(input));
    } catch (error) {
      return err(
        'DEVICE_HOST_UNAVAILABLE',
        `The device bridge failed: ${(error as Error).message}`,
      );
    }
  });
  return {
    ...calls,
    on(event, listener) {
      const off = bridge.on(
        event,
        checkedListener(event, listener) as DeviceListener<typeof event>,
      );
      subscriptions.add(off);
      return () => {
        subscriptions.delete(off);
        off();
      };
    },
    close() {
      closed = true;
      for (const off of subscriptions) off();
      subscriptions.clear();
    },
  };
}

const closedError = (): Err<DeviceErrorCode> =>
  err('DEVICE_HOST_UNAVAILABLE', 'The device connection was closed by the app.');

function socketClient(url: string, open: SocketFactory, callTimeoutMs: number): DeviceClient {
  const place = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const unreachable = (): Err<DeviceErrorCode> =>
    err(
      'DEVICE_HOST_UNAVAILABLE',
      `Cannot reach the device host at ${place}. Check that it is running and that the app has its current URL (the token changes at every start).`,
    );

  const listeners = new Map<DeviceEventName, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (raw: unknown) => void>();
  let socket: SocketLike | null = null;
  let ready: Promise<SocketLike | null> | null = null;
  let nextId = 1;
  let closed = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const failPending = (): void => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const settle of waiting) settle(unreachable());
  };

  const connect = (): Promise<SocketLike | null> => {
    if (ready !== null) return ready;
    ready = new Promise((resolve) => {
      let s: SocketLike;
      try {
        s = open(url);
      } catch {
        ready = null;
        resolve(null);
        return;
      }
      let settled = false;
      s.addEventListener('open', () => {
        settled = true;
        attempt = 0;
        socket = s;
        resolve(s);
      });
      s.addEventListener('message', ({ data }) => receive(data));
      s.addEventListener('error', () => undefined);
      s.addEventListener('close', () => {
        if (socket === s) socket = null;
        ready = null;
        failPending();
        if (!settled) resolve(null);
        // Keep event streams alive across a device host restart.
        if (!closed && listeners.size > 0) scheduleReconnect();
      });
    });
    return ready;
  };

  const scheduleReconnect = (): void => {
    if (retry !== null) return;
    const wait = Math.min(250 * 2 ** attempt, 5_000);
    attempt += 1;
    retry = setTimeout(() => {
      retry = null;
      if (!closed) void connect();
    }, wait);
  };

  const receive = (data: unknown): void => {
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : '');
    } catch {
      return;
    }
    const frame = HostFrame.safeParse(json);
    if (!frame.success) return;
    if (frame.data.type === 'reply') {
      const settle = pending.get(frame.data.id);
      pending.delete(frame.data.id);
      settle?.(frame.data.result);
    } else {
      for (const listener of listeners.get(frame.data.event) ?? []) listener(frame.data.payload);
    }
  };

  const calls = buildCalls(async (method, input) => {
    if (closed) return closedError();
    const s = await connect();
    if (s === null || s.readyState !== OPEN) return unreachable();
    const id = nextId++;
    const raw = await new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(
          err(
            'DEVICE_HOST_UNAVAILABLE',
            `The device host did not answer ${method} in time. Check the device, then try again.`,
          ),
        );
      }, callTimeoutMs);
      pending.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      s.send(JSON.stringify({ type: 'call', id, method, input }));
    });
    return checked(method, raw);
  });

  return {
    ...calls,
    on(event, listener) {
      const wrapped = checkedListener(event, listener);
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(wrapped);
      void connect().then((s) => {
        if (s === null && !closed) scheduleReconnect();
      });
      return () => {
        const current = listeners.get(event);
        current?.delete(wrapped);
        if (current?.size === 0) listeners.delete(event);
      };
    },
    close() {
      closed = true;
      listeners.clear();
      if (retry !== null) clearTimeout(retry);
      retry = null;
      socket?.close();
      socket = null;
      failPending();
    },
  };
}

function unavailableClient(message: string): DeviceClient {
  const calls = buildCalls(async () => err('DEVICE_HOST_UNAVAILABLE', message));
  return { ...calls, on: () => () => undefined, close: () => undefined };
}

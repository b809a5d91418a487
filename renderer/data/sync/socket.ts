import { ServerEvent } from '../../../core/protocol/index';
import type { ApiClient } from '../api-client';
import type { Connectivity } from '../connectivity';
import type { TillpointDb } from '../db';
import { backoffMs } from '../push';
import type { Timers } from './timers';

export interface SocketOptions {
  readonly db: TillpointDb;
  readonly api: ApiClient;
  readonly token: string;
  readonly connectivity: Connectivity;
  readonly random: () => number;
  readonly timers: Timers;
  readonly stopped: () => boolean;
  /** The feed moved past this terminal's cursor. */
  readonly onNews: () => void;
}

/**
 * The server's nudge socket (/v1/events): a feed event past our cursor asks for a pull, and the
 * socket opening means the server is back. Reopened with backoff when it drops; polling covers
 * the time it is down. Returns a function that closes it.
 */
export function openEventSocket(options: SocketOptions): () => void {
  const { db, api, connectivity, timers } = options;
  let socket: WebSocket | null = null;
  let failures = 0;

  function open(): void {
    if (options.stopped()) return;
    const url = api.eventsUrl(options.token);
    try {
      socket = new WebSocket(url);
    } catch {
      reopenLater();
      return;
    }
    socket.onopen = () => {
      // The server is back: no need to wait for the next probe.
      failures = 0;
      connectivity.markOnline();
    };
    socket.onmessage = (message) => {
      failures = 0;
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const event = ServerEvent.safeParse(data);
      if (!event.success) return;
      void (async () => {
        const meta = await db.meta.get('cursor');
        if (meta?.key !== 'cursor' || meta.cursor !== event.data.cursor) options.onNews();
      })();
    };
    socket.onclose = () => {
      socket = null;
      reopenLater();
    };
  }

  function reopenLater(): void {
    if (options.stopped()) return;
    failures += 1;
    timers.later(backoffMs(failures, options.random, 30_000), open);
  }

  open();
  return () => socket?.close();
}

/**
 * While the server is unreachable it is probed every 0.5–1 s (jittered, so a chain's terminals do
 * not probe in step): a health check is one tiny GET, and the drain starts as soon as one passes.
 */
const PROBE_MS = 1_000;

/** Probes the server's health while this tab believes it is offline. */
export function startProbe(
  options: Pick<SocketOptions, 'api' | 'connectivity' | 'random' | 'timers' | 'stopped'>,
): void {
  const tick = (): void => {
    if (options.stopped()) return;
    void (async () => {
      if (!options.connectivity.online()) {
        const health = await options.api.health();
        if (health.ok) options.connectivity.markOnline();
      }
      options.timers.later(Math.round(PROBE_MS * (0.5 + options.random() * 0.5)), tick);
    })();
  };
  options.timers.later(Math.round(PROBE_MS * (0.5 + options.random() * 0.5)), tick);
}

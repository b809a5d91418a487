import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * How long in-flight requests and WebSocket close handshakes get once the
 * server is told to stop; then their sockets are cut. Kept under the 5 s a
 * supervisor (systemd, Kubernetes, the desktop app) is promised.
 */
export const SHUTDOWN_GRACE_MS = 3_000;

/**
 * WebSocket close code 1012 "Service Restart" (IANA registry): the server is
 * going away on purpose, so the till reconnects (with its backoff) rather than
 * treating the channel as refused.
 */
export const CLOSE_SERVICE_RESTART = 1012;

/** The requests a server is answering right now, so shutdown can end their connections. */
export interface InFlightRequests {
  /** From now on every answer carries `Connection: close`. */
  drain(): void;
  /** Requests not yet answered. */
  readonly size: number;
}

interface Entry {
  readonly res: ServerResponse;
  readonly socket: Socket | null;
}

/**
 * Watches `server`'s requests. Without this a keep-alive connection whose
 * request was in flight at SIGTERM is answered `Connection: keep-alive` and
 * then holds the server open for the whole keep-alive timeout (72 s in
 * fastify): fastify's forceCloseConnections 'idle' only closes connections
 * that were idle at the moment close() began.
 */
export function trackInFlight(server: Server): InFlightRequests {
  const inFlight = new Set<Entry>();
  let draining = false;
  const endAfter = (entry: Entry) => {
    if (!entry.res.headersSent) entry.res.setHeader('connection', 'close');
    // Headers already gone (a streamed answer): end the socket once the answer is out.
    else entry.res.once('finish', () => entry.socket?.end());
  };
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    const entry: Entry = { res, socket: res.socket };
    if (draining) endAfter(entry);
    inFlight.add(entry);
    res.once('close', () => inFlight.delete(entry));
  });
  return {
    drain: () => {
      draining = true;
      for (const entry of inFlight) endAfter(entry);
    },
    get size() {
      return inFlight.size;
    },
  };
}

/**
 * Stops `app` within about `graceMs`: stops accepting, asks every WebSocket
 * client to reconnect later, lets in-flight requests finish with
 * `Connection: close`, and after the grace period cuts whatever is still open
 * (a request whose body never arrives, a peer that never answers the close).
 * Resolves once fastify's close (and its onClose hooks) has finished.
 */
export async function closeGracefully(
  app: FastifyInstance,
  inFlight: InFlightRequests,
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<void> {
  inFlight.drain();
  for (const client of app.websocketServer.clients)
    client.close(CLOSE_SERVICE_RESTART, 'server restarting; reconnect');
  const deadline = setTimeout(() => {
    const sockets = app.websocketServer.clients.size;
    app.log.warn(
      { requests: inFlight.size, webSockets: sockets, graceMs },
      'shutdown grace period over: cutting the connections still open',
    );
    for (const client of app.websocketServer.clients) client.terminate();
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
}

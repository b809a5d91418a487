import {
  Agent,
  createServer,
  request as forward,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** Which upstream (index into the list given) answered what, in the order they were sent. */
export interface Served {
  readonly method: string;
  readonly path: string;
  readonly upstream: number;
  readonly upgrade: boolean;
}

/**
 * A load balancer on 127.0.0.1 as packaging/chain/nginx.conf configures nginx: strict
 * round robin per request (and per WebSocket upgrade), one counter for both; an upstream that
 * refuses the connection is marked down and the request goes to the next one (nginx
 * `proxy_next_upstream error` with passive `max_fails=1`); once a request has reached an
 * upstream, a failure is the client's to see (502), never retried here, as nginx does not retry
 * a POST it has sent. X-Forwarded-For and X-Request-Id are set as the nginx config sets them.
 */
export interface RoundRobinProxy {
  readonly url: string;
  readonly served: readonly Served[];
  /**
   * The next `method path` request that upstream `upstream` answers: once its answer has
   * started (so the upstream has committed what it answers), `then` runs before any byte of it
   * reaches the client, and then the client's connection is cut. Resolves when `then` has run.
   */
  onNextAnswer(
    method: string,
    path: string,
    upstream: number,
    then: () => Promise<void>,
  ): Promise<void>;
  close(): Promise<void>;
}

interface Hook {
  readonly method: string;
  readonly path: string;
  readonly upstream: number;
  readonly then: () => Promise<void>;
  readonly done: () => void;
}

/** How long an upstream that refused a connection is skipped (nginx fail_timeout). */
const DOWN_MS = 10_000;

export async function startRoundRobinProxy(
  upstreamUrls: readonly string[],
): Promise<RoundRobinProxy> {
  const upstreams = upstreamUrls.map((u) => new URL(u));
  const downUntil = upstreams.map(() => 0);
  const served: Served[] = [];
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let next = 0;
  let hook: Hook | null = null;
  let requestNo = 0;

  /** The upstreams to try, in round-robin order from the next one, those marked down last. */
  const order = (): number[] => {
    const start = next;
    next = (next + 1) % upstreams.length;
    const all = upstreams.map((_, i) => (start + i) % upstreams.length);
    const now = Date.now();
    const up = (i: number) => (downUntil[i] ?? 0) <= now;
    return [...all.filter(up), ...all.filter((i) => !up(i))];
  };
  const refused = (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED';
  const headersFor = (req: IncomingMessage, id: string) => ({
    ...req.headers,
    // The edge overwrites what the client said: the socket's address is the only one known.
    'x-forwarded-for': req.socket.remoteAddress ?? '',
    'x-request-id': req.headers['x-request-id'] ?? id,
  });

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const id = `rr-${++requestNo}`;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const tryFrom = (candidates: number[]) => {
      const i = candidates[0];
      const target = i === undefined ? undefined : upstreams[i];
      if (i === undefined || target === undefined) {
        res.writeHead(502).end('no upstream');
        return;
      }
      const out = forward(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: headersFor(req, id),
        },
        (answer) => {
          served.push({ method: req.method ?? '', path, upstream: i, upgrade: false });
          const h = hook;
          if (h && h.method === req.method && h.path === path && h.upstream === i) {
            hook = null;
            answer.resume();
            void h.then().then(() => {
              res.socket?.destroy();
              h.done();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', (e: NodeJS.ErrnoException) => {
        if (refused(e)) {
          downUntil[i] = Date.now() + DOWN_MS;
          tryFrom(candidates.slice(1));
        } else if (!res.headersSent) res.writeHead(502).end('upstream failed');
        else res.socket?.destroy();
      });
      out.end(body);
    };
    tryFrom(order());
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A WebSocket: the handshake is forwarded as sent, then the two sockets are joined.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const tryFrom = (candidates: number[]) => {
      const i = candidates[0];
      const target = i === undefined ? undefined : upstreams[i];
      if (i === undefined || target === undefined) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      const origin = connect(Number(target.port), target.hostname);
      sockets.add(origin);
      origin.on('close', () => sockets.delete(origin));
      origin.once('error', (e: NodeJS.ErrnoException) => {
        if (refused(e)) {
          downUntil[i] = Date.now() + DOWN_MS;
          tryFrom(candidates.slice(1));
        } else client.destroy();
      });
      origin.once('connect', () => {
        served.push({ method: req.method ?? '', path, upstream: i, upgrade: true });
        const headers = headersFor(req, `rr-${++requestNo}`);
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (const [name, value] of Object.entries(headers))
          for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
        origin.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) origin.write(head);
        origin.pipe(client).pipe(origin);
        origin.on('error', () => client.destroy());
        client.on('error', () => origin.destroy());
        origin.on('close', () => client.destroy());
        client.on('close', () => origin.destroy());
      });
    };
    tryFrom(order());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    onNextAnswer: (method, path, upstream, then) =>
      new Promise<void>((resolve) => {
        hook = { method, path, upstream, then, done: resolve };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 that can lose the server's answer to a request after it arrived. */
export interface CuttingProxy {
  readonly url: string;
  /**
   * The next request whose first line starts with `requestLine` (e.g. "POST /v1/allowance") is
   * forwarded whole; when the server starts answering, both sockets are closed: before any byte
   * of the answer reaches the client (`keep: 'nothing'`), or after its status line and headers
   * and a few bytes of its body (`keep: 'headers'`). Resolves once it has cut one.
   */
  cutNextAnswer(requestLine: string, keep?: 'nothing' | 'headers'): Promise<void>;
  /** While on, every answer is cut after its headers (a line that keeps breaking). */
  cutEveryAnswer(on: boolean): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(upstreamUrl: string): Promise<CuttingProxy> {
  const upstream = new URL(upstreamUrl);
  type Cut = {
    readonly line: string;
    readonly keep: 'nothing' | 'headers';
    readonly done: () => void;
  };
  let armed: Cut | null = null;
  let cutAll = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const origin = connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(origin);
    client.on('close', () => sockets.delete(client));
    origin.on('close', () => sockets.delete(origin));
    let cutThis: Cut | null = null;
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.toString('latin1').startsWith(armed.line)) {
        cutThis = armed;
        armed = null;
      } else if (cutAll && /^[A-Z]+ \//.test(chunk.toString('latin1', 0, 16))) {
        cutThis = { line: '', keep: 'headers', done: () => undefined };
      }
      origin.write(chunk);
    });
    origin.on('data', (chunk: Buffer) => {
      if (!cutThis) {
        client.write(chunk);
        return;
      }
      const cut = cutThis;
      cutThis = null;
      const headersEnd = chunk.indexOf('\r\n\r\n');
      const keep = cut.keep === 'headers' && headersEnd >= 0 ? headersEnd + 4 + 5 : 0;
      origin.destroy();
      if (keep === 0) {
        client.destroy();
        cut.done();
        return;
      }
      client.write(chunk.subarray(0, keep), () => {
        client.destroy();
        cut.done();
      });
    });
    client.on('end', () => origin.end());
    origin.on('end', () => client.end());
    client.on('error', () => origin.destroy());
    origin.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cutNextAnswer: (line, keep = 'nothing') =>
      new Promise<void>((resolve) => {
        armed = { line, keep, done: resolve };
      }),
    cutEveryAnswer: (on) => {
      cutAll = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

import { connect } from 'node:net';
import type { Link, LinkHandlers } from './link';

/** A raw TCP link to a network printer (port 9100). */
export function openTcpLink(
  host: string,
  port: number,
  handlers: LinkHandlers,
  connectTimeoutMs = 3_000,
): Promise<Link> {
  return new Promise((resolve, reject) => {
    let closing = false;
    let opened = false;
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.setTimeout(connectTimeoutMs, () => {
      if (!opened) socket.destroy(new Error(`no answer from ${host}:${port}`));
    });
    socket.on('data', (chunk: Buffer) => handlers.onData(chunk));
    socket.on('error', (error) => {
      if (!opened) reject(new Error(`cannot reach printer ${host}:${port}: ${error.message}`));
    });
    socket.on('close', () => {
      if (opened && !closing) handlers.onLost(`connection to printer ${host}:${port} lost`);
    });
    socket.on('connect', () => {
      opened = true;
      socket.setTimeout(0);
      resolve({
        readable: true,
        write: (bytes) =>
          new Promise<void>((done, fail) => {
            if (socket.destroyed) {
              fail(new Error(`connection to printer ${host}:${port} is closed`));
              return;
            }
            socket.write(bytes, (error) => (error ? fail(error) : done()));
          }),
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            if (socket.destroyed) {
              done();
              return;
            }
            socket.end(() => done());
            setTimeout(() => socket.destroy(), 500).unref();
          }),
      });
    });
  });
}

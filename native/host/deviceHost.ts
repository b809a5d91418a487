import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallFrame, type HostFrame } from '../../core/devices/wire';
import { dispatch } from '../manager/dispatch';
import type { DeviceService } from '../manager/service';

export const DEVICE_HOST_PATH = '/devices';
const MAX_FRAME_BYTES = 1024 * 1024;

export interface DeviceHost {
  /** ws://127.0.0.1:PORT/devices?token=…: everything a browser-mode renderer needs. */
  readonly url: string;
  close(): Promise<void>;
}

/** A fresh unguessable token for one launch of the device host. */
export const newHostToken = (): string => randomBytes(32).toString('base64url');

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: 401 | 403 | 404, text: string): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${text}\n`,
  );
}

/**
 * Serves the device contract over a WebSocket on 127.0.0.1 for browser-mode
 * renderers. Only a client that presents the per-launch token connects; the
 * Host header must name the loopback address, which stops DNS rebinding.
 * Every call is validated with the contract's schemas before it runs.
 */
export async function startDeviceHost(options: {
  service: DeviceService;
  port: number;
  token?: string;
}): Promise<DeviceHost> {
  const token = options.token ?? newHostToken();
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('This is the Tillpoint device host; connect with a WebSocket.\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== DEVICE_HOST_PATH) {
      refuse(socket, 404, 'Unknown path; the device host listens on /devices.');
      return;
    }
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      refuse(socket, 403, 'The device host only answers on 127.0.0.1.');
      return;
    }
    if (!sameToken(url.searchParams.get('token'), token)) {
      refuse(
        socket,
        401,
        'Missing or wrong device host token; use the URL the host printed at start.',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  const serve = (ws: WebSocket): void => {
    const send = (frame: HostFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = options.service.subscribe(({ event, payload }) =>
      send({ type: 'event', event, payload }),
    );
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let json: unknown;
        try {
          json = JSON.parse(isBinary ? '' : String(data));
        } catch {
          json = undefined;
        }
        const frame = CallFrame.safeParse(json);
        if (!frame.success) {
          const id =
            typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'number'
              ? json.id
              : 0;
          send({
            type: 'reply',
            id,
            result: {
              ok: false,
              code: 'BAD_REQUEST',
              message: 'Not a device call frame: expected {type:"call", id, method, input}.',
            },
          });
          return;
        }
        const { id, method, input } = frame.data;
        send({ type: 'reply', id, result: await dispatch(options.service, method, input) });
      })();
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}${DEVICE_HOST_PATH}?token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

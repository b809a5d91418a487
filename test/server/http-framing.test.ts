import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../core/protocol';
import {
  DRIVERS,
  snapshotDatabase as snapshot,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import { call, pairTerminal, type PairedTerminal } from '../helpers/server-client';

interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Sends bytes no HTTP client would send over a plain TCP socket and reads
 * until the server closes it: what a broken client or a scanner on the wrong
 * port puts on the wire.
 */
function rawExchange(url: string, bytes: string): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const post = (headers: string, body = '') =>
  `POST /v1/redemptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;

describe.each(DRIVERS)('framing errors on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let before: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
  });
  beforeEach(async () => {
    before = await snapshot(server);
  });
  afterAll(() => server.close());

  const CASES = [
    [
      'oversized headers',
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers are larger than the server takes (16 KB in all)',
    ],
    [
      'a Content-Length that is not a number',
      post('Content-Length: twelve\r\n', '{}'),
      400,
      'Content-Length',
    ],
    [
      'two different Content-Lengths',
      post('Content-Length: 2\r\nContent-Length: 3\r\n', '{}'),
      400,
      'single Content-Length',
    ],
    [
      'Content-Length and Transfer-Encoding together',
      post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '2\r\n{}\r\n0\r\n\r\n'),
      400,
      'framed twice',
    ],
    [
      'a chunk size that is not hexadecimal',
      post('Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'),
      400,
      'chunk size',
    ],
    [
      'a broken chunk after a good one',
      post(
        `Authorization: Bearer TOKEN\r\nTransfer-Encoding: chunked\r\n`,
        '1\r\n{\r\nqq\r\n}\r\n0\r\n\r\n',
      ),
      400,
      'chunk size',
    ],
    [
      'a control character in a header value',
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\u0001b\r\n\r\n',
      400,
      'header name or value',
    ],
    [
      'a NUL in a header name',
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\u0000Note: b\r\n\r\n',
      400,
      'header name or value',
    ],
    [
      'a control character in the path',
      'GET /healthz\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      400,
      'The path holds a character',
    ],
    [
      'a TLS hello on the plain-HTTP port',
      '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
      400,
      'HTTPS sent to a plain-HTTP port',
    ],
    [
      'an unknown HTTP version',
      'GET /healthz HTTP/9.1\r\nHost: 127.0.0.1\r\n\r\n',
      400,
      'HTTP/1.1',
    ],
    ['no Host header', 'GET /healthz HTTP/1.1\r\n\r\n', 400, 'no Host header'],
  ] as const;

  it.each(CASES)(
    'answers %s as an ApiError, closes the connection and keeps serving',
    async (_what, bytes, status, says) => {
      const r = await rawExchange(server.url, bytes.replace('TOKEN', till.token));
      expect(r.status).toBe(status);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['connection']).toBe('close');
      const body = ApiError.parse(JSON.parse(r.body));
      expect(body.message).toContain(says);
      expect(Object.keys(body).sort()).toEqual(['code', 'message']);
      expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
      expect(await snapshot(server)).toBe(before);
    },
  );

  it('still answers a well-formed raw request normally', async () => {
    const r = await rawExchange(
      server.url,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(r.status).toBe(200);
  });
});

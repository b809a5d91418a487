import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { signatureHeaders } from './signer';
import type { Fault } from './state';

const MAX_BODY = 1 << 20;

/** The raw request body; the signature covers these exact bytes. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One API answer in progress: where it goes, which key the caller asked for, any fault. */
export interface Reply {
  readonly res: ServerResponse;
  readonly wantSerial: string | undefined;
  readonly fault: Fault | undefined;
}

/**
 * Sends a signed JSON answer (or an empty one for 204) with a Request-ID,
 * applying the request's fault: drop_after closes the socket after the work
 * was done, hang_after never answers, bad_signature and unsigned spoil the
 * signature headers.
 */
export function send(ctx: SimContext, reply: Reply, status: number, body?: unknown): void {
  const { res, fault } = reply;
  if (fault?.mode === 'drop_after') {
    res.socket?.destroy();
    return;
  }
  // The work is done; the answer never comes (the simulator's close() ends the connection).
  if (fault?.mode === 'hang_after') return;
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
  const headers: Record<string, string> = { 'Request-ID': randomUUID().replace(/-/g, '') };
  if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  if (fault?.mode !== 'unsigned') {
    const signed = signatureHeaders(ctx, bytes, reply.wantSerial);
    if (fault?.mode === 'bad_signature')
      signed['Wechatpay-Signature'] = Buffer.from('not the signature').toString('base64');
    Object.assign(headers, signed);
  }
  res.writeHead(status, headers);
  res.end(bytes);
}

/** A v3 error answer: `{code, message}` (wechatpay-go core/error.go). */
export function sendError(
  ctx: SimContext,
  reply: Reply,
  status: number,
  code: string,
  message: string,
): void {
  send(ctx, reply, status, { code, message });
}

/** Plain JSON for the /sim control endpoints (unsigned: they are not WeChat's). */
export function sendControl(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

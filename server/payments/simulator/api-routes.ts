import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkRequestSignature } from './auth';
import type { SimContext } from './context';
import { type Reply, send, sendError } from './http-io';
import * as pay from './pay-handlers';
import * as refunds from './refund-handlers';
import { type SimCall, takeFault } from './state';
import { fail, type SimAnswer } from './views';

const ORDER = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close|\/reverse)?$/;
const REFUND = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/;

function route(
  ctx: SimContext,
  method: string,
  url: URL,
  raw: string,
  schedule: (fn: () => void, ms: number) => void,
): SimAnswer {
  const path = url.pathname;
  if (method === 'POST' && path === '/v3/pay/transactions/native')
    return pay.createNative(ctx, raw);
  if (method === 'POST' && path === '/v3/pay/transactions/codepay') return pay.codepay(ctx, raw);
  if (method === 'POST' && path === '/v3/refund/domestic/refunds')
    return refunds.createRefund(ctx, raw, schedule);
  const order = ORDER.exec(path);
  if (order?.[1] !== undefined) {
    const no = decodeURIComponent(order[1]);
    if (method === 'GET' && order[2] === undefined)
      return pay.query(ctx, no, url.searchParams.get('mchid'));
    if (method === 'POST' && order[2] === '/close') return pay.close(ctx, no, raw);
    if (method === 'POST' && order[2] === '/reverse') return pay.reverse(ctx, no, raw);
  }
  const refund = REFUND.exec(path);
  if (method === 'GET' && refund?.[1] !== undefined)
    return refunds.queryRefund(ctx, decodeURIComponent(refund[1]));
  return fail(404, 'NOT_FOUND', '请求的资源不存在 (no such API)');
}

/**
 * One /v3 request: signature check (401 SIGN_ERROR), the next fault for the
 * path if the test set one, the handler, then a signed answer.
 */
export function handleApi(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  schedule: (fn: () => void, ms: number) => void,
): void {
  const method = req.method ?? 'GET';
  const pathAndQuery = req.url ?? '/';
  const url = new URL(pathAndQuery, 'http://simulator');
  const wantSerial = req.headers['wechatpay-serial'];
  const fault = takeFault(ctx.state, url.pathname);
  const reply: Reply = {
    res,
    wantSerial: typeof wantSerial === 'string' ? wantSerial : undefined,
    fault,
  };
  const at = ctx.clock().toISOString();
  const log = (outcome: SimCall['outcome']) =>
    ctx.state.calls.push({ method, path: url.pathname, outcome, at });
  if (fault?.mode === 'drop_before') {
    log('dropped');
    res.socket?.destroy();
    return;
  }
  if (fault?.mode === 'drop_after') log('dropped');
  else if (fault?.mode === 'hang_after') log('hung');
  else res.once('finish', () => log(res.statusCode));
  const auth = checkRequestSignature(ctx, method, pathAndQuery, req.headers.authorization, body);
  if (!auth.ok) return sendError(ctx, reply, 401, 'SIGN_ERROR', auth.message);
  if (fault?.mode === 'server_error')
    return sendError(ctx, reply, 500, 'SYSTEM_ERROR', '系统错误 (simulated failure)');
  let answer: SimAnswer;
  try {
    answer = route(ctx, method, url, body.length === 0 ? '{}' : body.toString('utf8'), schedule);
  } catch (e) {
    answer =
      e instanceof SyntaxError
        ? fail(400, 'PARAM_ERROR', '请求体不是合法的JSON (the body is not JSON)')
        : fail(500, 'SYSTEM_ERROR', '系统错误');
  }
  send(ctx, reply, answer.status, answer.body);
}

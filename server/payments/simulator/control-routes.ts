import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  CodePayBehaviourSchema,
  type ControlResult,
  FaultSchema,
  NotifyModeSchema,
  PaySchema,
  RefundBehaviourSchema,
  type SimControl,
  SignWithSchema,
} from './control';
import { sendCustomerPage } from './customer-page';
import { sendControl } from './http-io';

/**
 * The /sim/… control endpoints (documented in server/payments/README.md).
 * Answers are plain JSON, unsigned, `{code, message}` on errors.
 */
const NATIVE_PAY = /^\/sim\/native\/([^/]+)\/pay$/;
const CODEPAY_CONFIRM = /^\/sim\/codepay\/([^/]+)\/confirm$/;
const ORDER = /^\/sim\/orders\/([^/]+)$/;

function parse<S extends z.ZodType>(schema: S, raw: string): z.output<S> | string {
  let json: unknown;
  try {
    json = raw === '' ? {} : JSON.parse(raw);
  } catch {
    return 'the body is not JSON';
  }
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  return `${i?.path.map(String).join('.') || 'body'}: ${i?.message ?? 'invalid'}`;
}

export async function handleControl(
  control: SimControl,
  method: string,
  path: string,
  raw: string,
  res: ServerResponse,
): Promise<void> {
  const answer = (r: ControlResult): void =>
    r.ok
      ? sendControl(res, 200, r.body)
      : sendControl(res, r.status, { code: r.code, message: r.message });
  const bad = (message: string): void =>
    sendControl(res, 400, {
      code: 'BAD_REQUEST',
      message: `${message}; see server/payments/README.md`,
    });
  const done = (): void => sendControl(res, 200, { ok: true });

  const nativePay = NATIVE_PAY.exec(path);
  if (method === 'POST' && nativePay?.[1] !== undefined) {
    const p = parse(PaySchema, raw);
    return typeof p === 'string'
      ? bad(p)
      : answer(control.payNative(decodeURIComponent(nativePay[1]), p));
  }
  if (method === 'POST' && path === '/sim/scan') {
    const p = parse(PaySchema.extend({ code_url: z.string().min(1) }), raw);
    if (typeof p === 'string') return bad(p);
    const { code_url, ...pay } = p;
    return answer(control.scan(code_url, pay));
  }
  if (method === 'POST' && path === '/sim/codepay/behaviour') {
    const p = parse(CodePayBehaviourSchema, raw);
    if (typeof p === 'string') return bad(p);
    control.setCodePayBehaviour(p);
    return done();
  }
  const confirm = CODEPAY_CONFIRM.exec(path);
  if (method === 'POST' && confirm?.[1] !== undefined) {
    const p = parse(z.object({ result: z.enum(['success', 'notenough']) }).strict(), raw);
    return typeof p === 'string'
      ? bad(p)
      : answer(control.confirmCodePay(decodeURIComponent(confirm[1]), p.result));
  }
  if (method === 'POST' && path === '/sim/refunds/behaviour') {
    const p = parse(RefundBehaviourSchema, raw);
    if (typeof p === 'string') return bad(p);
    control.setRefundBehaviour(p);
    return done();
  }
  if (method === 'POST' && path === '/sim/notifications/behaviour') {
    const p = parse(NotifyModeSchema, raw);
    if (typeof p === 'string') return bad(p);
    control.setNotifyMode(p.mode);
    return done();
  }
  if (method === 'POST' && path === '/sim/notifications/release') {
    const p = parse(z.object({ atOnce: z.number().int().min(1).max(1_000) }).strict(), raw);
    if (typeof p === 'string') return bad(p);
    return sendControl(res, 200, { released: await control.releaseNotifications(p.atOnce) });
  }
  if (method === 'POST' && path === '/sim/notifications/probe') {
    const p = parse(z.object({ url: z.url() }).strict(), raw);
    if (typeof p === 'string') return bad(p);
    return sendControl(res, 200, { status: await control.probe(p.url) });
  }
  if (method === 'GET' && path === '/sim/notifications')
    return sendControl(res, 200, control.notifications());
  if (method === 'GET' && path === '/sim/calls') return sendControl(res, 200, control.calls());
  if (method === 'POST' && path === '/sim/keys/behaviour') {
    const p = parse(SignWithSchema, raw);
    if (typeof p === 'string') return bad(p);
    control.setSignWith(p.signWith);
    return done();
  }
  if (method === 'POST' && path === '/sim/faults') {
    const p = parse(FaultSchema, raw);
    if (typeof p === 'string') return bad(p);
    control.addFault(p);
    return done();
  }
  const order = ORDER.exec(path);
  if (method === 'GET' && order?.[1] !== undefined) {
    const o = control.order(decodeURIComponent(order[1]));
    return o === undefined
      ? sendControl(res, 404, { code: 'NOT_FOUND', message: 'no such order' })
      : sendControl(res, 200, o);
  }
  if (method === 'GET' && path === '/sim/refunds') return sendControl(res, 200, control.refunds());
  if (method === 'GET' && path === '/sim/customer')
    return sendCustomerPage(res, control.waitingNative());
  sendControl(res, 404, { code: 'NOT_FOUND', message: `no control endpoint ${method} ${path}` });
}

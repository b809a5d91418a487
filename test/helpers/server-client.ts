import { randomUUID } from 'node:crypto';
import type {
  AllowanceLease,
  PairResponse,
  RedemptionRequest,
  SaleRequest,
  Session,
  Tender,
} from '../../core/protocol';
import { saleTotals } from '../../core/sales';
import type { TestServer } from './server-harness';

export interface Reply<T = unknown> {
  readonly status: number;
  readonly text: string;
  readonly json: T;
  readonly headers: Headers;
}

/** A thin JSON client over fetch: what a terminal or the manager console sends, nothing more. */
export async function call<T = unknown>(
  url: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  path: string,
  options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json: json as T, headers: res.headers };
}

export interface PairedTerminal {
  readonly token: string;
  readonly terminalId: string;
  readonly storeId: string;
  readonly publicKey: string;
}

/** Pairs a terminal to `storeId` with one of the demo's unused pairing codes. */
export async function pairTerminal(
  server: Pick<TestServer, 'url' | 'demo'>,
  storeId: string,
): Promise<PairedTerminal> {
  for (const p of server.demo.pairingCodes.filter((c) => c.storeId === storeId)) {
    const r = await call<PairResponse>(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: p.code, name: `till ${storeId}` },
    });
    if (r.status === 200)
      return {
        token: r.json.token,
        terminalId: r.json.terminalId,
        storeId,
        publicKey: r.json.codePublicKey,
      };
  }
  throw new Error(`no unused demo pairing code left for ${storeId}`);
}

export async function loginManager(
  server: Pick<TestServer, 'url' | 'demo'>,
  index = 0,
): Promise<string> {
  const m = server.demo.managers[index];
  if (!m) throw new Error(`demo has no manager #${index}`);
  const r = await call<Session>(server.url, 'POST', '/v1/sessions', {
    body: { kind: 'password', username: m.username, password: m.password },
  });
  if (r.status !== 200) throw new Error(`manager login failed: ${r.text}`);
  return r.json.token;
}

/** A quick redeem (no cart) of `code` by `terminal`. */
export function redemption(
  terminal: PairedTerminal,
  code: string,
  extra: Partial<RedemptionRequest> = {},
): RedemptionRequest {
  return {
    id: randomUUID() as RedemptionRequest['id'],
    code: code as RedemptionRequest['code'],
    storeId: terminal.storeId as RedemptionRequest['storeId'],
    terminalId: terminal.terminalId as RedemptionRequest['terminalId'],
    at: new Date().toISOString(),
    cart: null,
    offline: null,
    ...extra,
  };
}

/** Codes of a demo batch, by batch id. */
export function demoCodes(server: Pick<TestServer, 'demo'>, batchId: string): string[] {
  const codes = server.demo.codes[batchId];
  if (!codes) throw new Error(`demo has no batch ${batchId}`);
  return codes;
}

/** An offline allowance lease for the terminal; the same requestId again is a retry of one renewal. */
export async function takeLease(
  server: TestServer,
  till: PairedTerminal,
  requestId: string = randomUUID(),
): Promise<AllowanceLease> {
  const r = await call<AllowanceLease>(server.url, 'POST', '/v1/allowance', {
    token: till.token,
    body: { requestId },
  });
  if (r.status !== 200) throw new Error(`lease refused: ${r.status} ${r.text}`);
  return r.json;
}

/** A cart of catalog lines: [sku, category, unit price in fen, quantity]. */
export function cartOf(
  lines: readonly (readonly [sku: string, category: string, priceFen: number, quantity: number])[],
): NonNullable<RedemptionRequest['cart']> {
  return {
    lines: lines.map(([sku, category, priceFen, quantity], i) => ({
      lineId: `l${i + 1}` as never,
      sku: sku as never,
      category: category as never,
      name: sku as never,
      unitPriceFen: priceFen as never,
      quantity,
    })),
    memberDiscountApplied: false,
    memberTier: null,
    customerId: null,
  };
}

/** A sale as an honest till builds it: its figures from the core, as the checkout computes them. */
export function saleRequest(
  till: PairedTerminal,
  cart: SaleRequest['cart'],
  discounts: readonly number[],
  redemptionIds: readonly string[],
  tenders: Tender[],
  extra: Partial<SaleRequest> = {},
): SaleRequest {
  return {
    id: randomUUID() as SaleRequest['id'],
    storeId: till.storeId as SaleRequest['storeId'],
    terminalId: till.terminalId as SaleRequest['terminalId'],
    at: new Date().toISOString(),
    shiftId: null,
    cart,
    redemptionIds: redemptionIds as SaleRequest['redemptionIds'],
    tenders,
    totals: saleTotals(cart.lines, discounts as never[], tenders),
    offline: false,
    ...extra,
  };
}

/** A sale of one latte paid by one WeChat tender (Native or payment code), as an honest till sends it. */
export function wechatSale(
  till: PairedTerminal,
  kind: 'wechat_native' | 'wechat_code',
  paymentId: string,
  amountFen = 2800,
): SaleRequest {
  const cart = cartOf([['latte', 'coffee', amountFen, 1]]);
  return saleRequest(till, cart, [], [], [{ kind, amountFen, paymentId } as Tender]);
}

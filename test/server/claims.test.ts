import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BatchReport,
  ChangesPage,
  ClaimPagesPage,
  ClaimPageView,
  RedemptionResponse,
} from '../../core/protocol';
import { localTime } from '../../core/time';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';
import { phone, shownCodes, shownImages } from '../helpers/claim-phone';

describe.each(DRIVERS)('claim pages on %s', (driver) => {
  let server: TestServer;
  let chain: string;
  let till: PairedTerminal;
  const today = localTime(Date.now()).date;

  const publish = async (body: Record<string, unknown>) => {
    const r = await call<ClaimPageView>(server.url, 'POST', '/v1/manager/claim-pages', {
      token: chain,
      body: { batchId: 'demo-cash', storeId: 'sh-001', title: '新店开业 领10元券', ...body },
    });
    expect(r.status).toBe(201);
    return r.json;
  };

  /** Each image is SVG for `owner` only, and its address does not hold the code. */
  const expectOwnImages = async (
    owner: ReturnType<typeof phone>,
    images: readonly string[],
    code: string,
  ) => {
    for (const src of images) {
      expect(src).not.toContain(code);
      const image = await owner.get(src);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(image.text).toContain('<svg');
      const other = phone(server);
      await other.open(src.split('/').slice(0, 3).join('/'));
      expect((await other.get(src)).status).toBe(404);
    }
  };

  beforeAll(async () => {
    server = await startTestServer(driver);
    chain = await loginManager(server);
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('gives a customer a code once, shows it again, and the till redeems it with a cycle of 0 days', async () => {
    const page = await publish({ totalStock: 100, dailyStock: null, perCustomer: 1 });
    const p = phone(server);
    const first = await p.open(page.id);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toMatch(/style-src 'nonce-[^']+'/);
    expect(first.text).toContain('立即领取');
    const claimed = await p.claim(page.id);
    expect(claimed.status).toBe(200);
    const [code] = shownCodes(claimed.text);
    expect(code).toBeDefined();
    // A signed code (some 130 characters) gets its QR only, an image of this phone's.
    const images = shownImages(claimed.text);
    expect(images).toHaveLength(1);
    await expectOwnImages(p, images, code ?? '');
    // At the per-customer limit the same code is shown, no second one given.
    const again = await p.claim(page.id);
    expect(shownCodes(again.text)).toEqual([code]);
    expect(again.text).not.toContain('立即领取');

    const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code ?? ''),
    });
    expect(r.json.outcome.status).toBe('accepted');
    const report = await call<BatchReport>(
      server.url,
      'GET',
      `/v1/manager/reports/batches/demo-cash?from=${today}&to=${today}`,
      { token: chain },
    );
    const f = report.json.funnel;
    const cell = (key: string) => f.rows[0]?.[f.columns.findIndex((c) => c.key === key)];
    expect([cell('views'), cell('claims'), cell('redemptions')]).toEqual([1, 1, 1]);
    expect(report.json.cycle.rows[0]?.[1]).toBe(1);
  });

  it('shows a short code as a QR and a Code 128 barcode, both images of its owner only', async () => {
    const imported = await call(server.url, 'POST', '/v1/manager/batches/demo-gift/import', {
      token: chain,
      body: { codes: ['SHORT-CLAIM-0001'], claimedAt: null },
    });
    expect(imported.status).toBe(200);
    const page = await publish({
      batchId: 'demo-gift',
      totalStock: 10,
      dailyStock: null,
      perCustomer: 1,
    });
    const p = phone(server);
    await p.open(page.id);
    const claimed = await p.claim(page.id);
    const [code] = shownCodes(claimed.text);
    expect(code).toBeDefined();
    expect(code?.length).toBeLessThanOrEqual(24);
    const images = shownImages(claimed.text);
    expect(images.map((src) => src.split('/')[3])).toEqual(['qr', 'barcode']);
    await expectOwnImages(p, images, code ?? '');
    // Shown again, the page names the same images: the phone keeps them.
    expect(shownImages((await p.open(page.id)).text)).toEqual(images);
  });

  it('lists the published pages newest first with their links, paged, a store manager their store only', async () => {
    const first = await publish({ batchId: 'demo-gift', totalStock: 5, dailyStock: null });
    const second = await publish({ batchId: 'demo-gift', totalStock: 6, dailyStock: null });
    const elsewhere = await publish({ storeId: 'hz-001', totalStock: 7, dailyStock: null });
    const list = (query: string, token = chain) =>
      call<ClaimPagesPage>(server.url, 'GET', `/v1/manager/claim-pages?${query}`, { token });
    const one = await list('batchId=demo-gift&limit=1');
    expect(one.status).toBe(200);
    expect(one.json.pages.map((p) => p.id)).toEqual([second.id]);
    expect(one.json.pages[0]?.path).toBe(`/claim/${second.id}`);
    expect(one.json.next).not.toBeNull();
    const rest = await list(
      `batchId=demo-gift&limit=200&after=${encodeURIComponent(one.json.next ?? '')}`,
    );
    const ids = rest.json.pages.map((p) => p.id);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(second.id);
    expect(rest.json.pages.every((p) => p.batchId === 'demo-gift')).toBe(true);
    // The demo's store manager (sh-001) sees sh-001's pages, and no other store's.
    const storeManager = await loginManager(server, 1);
    const own = await list('limit=200', storeManager);
    expect(own.status).toBe(200);
    expect(own.json.pages.length).toBeGreaterThan(0);
    expect(own.json.pages.every((p) => p.storeId === 'sh-001')).toBe(true);
    expect((await list('limit=200')).json.pages.map((p) => p.id)).toContain(elsewhere.id);
    expect((await list('limit=0')).status).toBe(400);
  });

  it('sends the claim time to the tills through the change feed', async () => {
    const page = await publish({ totalStock: 10, dailyStock: null, perCustomer: 1 });
    // Without the page's cookie (a first visit, another site's form) a post only opens the page.
    expect((await phone(server).claim(page.id)).status).toBe(303);
    const p = phone(server);
    await p.open(page.id);
    const [mine] = shownCodes((await p.claim(page.id)).text);
    const feed = await call<ChangesPage>(server.url, 'GET', '/v1/changes?limit=1000', {
      token: till.token,
    });
    const change = feed.json.changes.find(
      (c) => c.type === 'code' && c.code.code === mine && c.code.claimedAt !== null,
    );
    expect(change).toBeDefined();
  });

  it('stops at the total and the daily stock', async () => {
    const total = await publish({ totalStock: 2, dailyStock: null, perCustomer: 1 });
    const results: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = phone(server);
      await p.open(total.id);
      results.push((await p.claim(total.id)).status);
    }
    expect(results).toEqual([200, 200, 409]);
    const daily = await publish({ totalStock: 10, dailyStock: 1, perCustomer: 1 });
    const a = phone(server);
    const b = phone(server);
    await a.open(daily.id);
    await b.open(daily.id);
    expect((await a.claim(daily.id)).status).toBe(200);
    const refused = await b.claim(daily.id);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('今天的券已领完');
  });

  /** A new client address for each phone (127.9.x.y): the per-address rate limit stays out of it. */
  let addresses = 0;
  const newAddress = () => {
    const n = addresses++;
    return `127.9.${Math.floor(n / 250)}.${1 + (n % 250)}`;
  };
  /** `count` customers, each on a phone of their own that opened the page, claiming at once. */
  const claimAtOnce = async (pageId: string, count: number) => {
    const phones = Array.from({ length: count }, () => phone(server, newAddress()));
    await Promise.all(phones.map((p) => p.open(pageId)));
    return Promise.all(phones.map((p) => p.claim(pageId)));
  };
  const claimedOn = async (pageId: string) => {
    const [row] = await server.db.rows<{ claimed: number }>(
      'select claimed from claim_pages where id = ?',
      [pageId],
    );
    const claims = await server.db.rows<{ code: string }>(
      'select code from claims where page_id = ?',
      [pageId],
    );
    return { counter: Number(row?.claimed), codes: new Set(claims.map((c) => c.code)).size };
  };

  it('gives exactly the total stock to many customers claiming at once', async () => {
    const page = await publish({ totalStock: 5, dailyStock: null, perCustomer: 1 });
    const answers = await claimAtOnce(page.id, 40);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(35);
    expect(await claimedOn(page.id)).toEqual({ counter: 5, codes: 5 });
  });

  it("gives exactly the day's stock to many customers claiming at once", async () => {
    const page = await publish({ totalStock: 100, dailyStock: 3, perCustomer: 1 });
    const answers = await claimAtOnce(page.id, 30);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.text.includes('今天的券已领完'))).toHaveLength(27);
    expect(await claimedOn(page.id)).toEqual({ counter: 3, codes: 3 });
  });

  it('gives one customer claiming many times at once no more than their limit', async () => {
    const page = await publish({ totalStock: 1000, dailyStock: null, perCustomer: 2 });
    const p = phone(server, newAddress());
    await p.open(page.id);
    const answers = await Promise.all(Array.from({ length: 12 }, () => p.claim(page.id)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const shown = new Set(answers.flatMap((a) => shownCodes(a.text)));
    expect(shown.size).toBe(2);
    expect(await claimedOn(page.id)).toEqual({ counter: 2, codes: 2 });
  });

  it('limits claims per client address, counted in the database', async () => {
    const page = await publish({ totalStock: 1000, dailyStock: null, perCustomer: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const p = phone(server);
      await p.open(page.id);
      statuses.push((await p.claim(page.id)).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const rows = await server.db.rows<{ count: number }>(
      "select count from auth_limits where what = 'claims'",
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});

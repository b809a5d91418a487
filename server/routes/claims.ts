import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROUTES } from '../../core/protocol';
import {
  claimCode,
  countView,
  customerCodes,
  customerOf,
  loadClaimPage,
  type ClaimedCode,
  type LoadedPage,
} from '../claims/claim';
import { selectOwnCodes } from '../claims/claim-statements';
import { claimPageHtml, posterHtml, reasonText } from '../claims/html';
import { BARCODE_MAX, barcodeSvg, codeRef, qrSvg } from '../claims/images';
import { claimPagesPage, publishClaimPage } from '../claims/pages';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';

const COOKIE = 'tp_device';

function deviceKey(request: FastifyRequest): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value && /^[A-Za-z0-9_-]{22,64}$/.test(value)) return value;
  }
  return null;
}

/** No script; the one style element by its nonce; forms post only here. */
function html(reply: FastifyReply, nonce: string, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    )
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .send(body);
}

const batchName = (doc: string): string => (JSON.parse(doc) as { name: string }).name;

/**
 * The claim pages: the manager's publish and list calls (route table), and the public mobile page
 * /claim/:id with its form and poster. These three answer HTML to a browser, so they are
 * Fastify routes of their own rather than rows of the JSON route table.
 */
export function registerClaims(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.publishClaimPage, ({ actor, body, now }) =>
    ctx.storage.write((w) => publishClaimPage(w, actor, body, now)),
  );
  registerRoute(app, ctx, ROUTES.claimPages, ({ actor, query }) =>
    claimPagesPage(ctx.storage.db, actor, query),
  );

  /** The page for this customer; `shown` when a claim has just read the page and the codes. */
  const show = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    notice: string | null,
    status = 200,
    shown?: { readonly page: LoadedPage; readonly codes: readonly ClaimedCode[] },
  ): Promise<FastifyReply> => {
    const nonce = randomBytes(16).toString('base64');
    const id = request.params.id;
    const page = shown?.page ?? (await loadClaimPage(ctx.storage.reader, id));
    if (!page) return html(reply, nonce, 404, notFound(nonce));
    let key = deviceKey(request);
    if (key === null) {
      key = randomBytes(18).toString('base64url');
      reply.header(
        'Set-Cookie',
        `${COOKIE}=${key}; Path=/claim; Max-Age=31536000; HttpOnly; SameSite=Lax`,
      );
    }
    const customer = customerOf(key);
    const now = ctx.now();
    // A view is counted on the first showing only, not after the customer's own claim.
    if (notice === null) await ctx.storage.write((w) => countView(w, id, now));
    const codes =
      shown?.codes ?? (await customerCodes(ctx.storage.reader, page.batch_id, customer));
    const left = Math.max(0, Number(page.total_stock) - Number(page.claimed));
    const path = `/claim/${encodeURIComponent(id)}`;
    return html(
      reply,
      nonce,
      status,
      claimPageHtml({
        nonce,
        title: page.title,
        batchName: batchName(page.batch_doc),
        left,
        codes,
        canClaim: codes.length < Number(page.per_customer) && left > 0,
        notice: notice ?? (left === 0 && codes.length === 0 ? reasonText('SOLD_OUT') : null),
        action: path,
        path,
        timeZone: page.time_zone,
      }),
    );
  };
  const notFound = (nonce: string) =>
    claimPageHtml({
      nonce,
      title: '领券',
      batchName: '',
      left: 0,
      codes: [],
      canClaim: false,
      notice: reasonText('NOT_FOUND'),
      action: '',
      path: '',
      timeZone: 'Asia/Shanghai',
    });

  app.get<{ Params: { id: string } }>('/claim/:id', (request, reply) => show(request, reply, null));

  app.register(async (scope) => {
    // The claim button is a plain form: its (empty) body is not read.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, _body, done) => done(null, {}),
    );
    scope.post<{ Params: { id: string } }>('/claim/:id', async (request, reply) => {
      const key = deviceKey(request);
      // No device key: a first visit, or a post from another site (SameSite keeps it there).
      if (key === null)
        return reply.redirect(`/claim/${encodeURIComponent(request.params.id)}`, 303);
      const now = ctx.now();
      const outcome = await ctx.storage.write((w) =>
        claimCode(w, request.params.id, customerOf(key), request.ip, now),
      );
      const status = outcome.ok
        ? 200
        : outcome.reason === 'RATE_LIMITED'
          ? 429
          : outcome.reason === 'NOT_FOUND'
            ? 404
            : 409;
      return outcome.ok
        ? show(request, reply, '领取成功', status, outcome)
        : show(request, reply, reasonText(outcome.reason), status);
    });
  });

  app.get<{ Params: { id: string } }>('/claim/:id/poster', async (request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    const page = await loadClaimPage(ctx.storage.reader, request.params.id);
    if (!page) return html(reply, nonce, 404, notFound(nonce));
    const url = `${request.protocol}://${request.host}/claim/${encodeURIComponent(page.id)}`;
    return html(
      reply,
      nonce,
      200,
      await posterHtml(nonce, page.title, batchName(page.batch_doc), url),
    );
  });

  // A claimed code's symbols, for its owner only (the device cookie): an address names its code
  // by a digest (images.ts), which changes with the code, so the phone may keep it for good.
  const image = (kind: 'qr' | 'barcode') =>
    app.get<{ Params: { id: string; ref: string } }>(
      `/claim/:id/${kind}/:ref`,
      async (request, reply) => {
        const key = deviceKey(request);
        const { rows } =
          key === null
            ? { rows: [] }
            : await selectOwnCodes(ctx.storage.reader, {
                pageId: request.params.id,
                customer: customerOf(key),
              });
        const code = rows.find((r) => codeRef(r.code) === request.params.ref)?.code;
        if (code === undefined || (kind === 'barcode' && code.length > BARCODE_MAX))
          return reply.code(404).header('Cache-Control', 'no-store').send();
        return reply
          .type('image/svg+xml')
          .header('Content-Security-Policy', "default-src 'none'")
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'private, max-age=31536000, immutable')
          .send(kind === 'qr' ? await qrSvg(code) : barcodeSvg(code));
      },
    );
  image('qr');
  image('barcode');
}

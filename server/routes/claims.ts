import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { claimCode, countView, customerCodes, customerOf } from '../claims/claim';
import { claimPageHtml, posterHtml, reasonText } from '../claims/html';
import { loadClaimPage, publishClaimPage } from '../claims/pages';
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
      `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    )
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .send(body);
}

const batchName = (doc: string): string => (JSON.parse(doc) as { name: string }).name;

/**
 * The claim pages: the manager's publish call (route table), and the public mobile page
 * /claim/:id with its form and poster. These three answer HTML to a browser, so they are
 * Fastify routes of their own rather than rows of the JSON route table.
 */
export function registerClaims(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.publishClaimPage, ({ actor, body, now }) =>
    ctx.storage.write((w) => publishClaimPage(w, actor, body, now)),
  );

  const show = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    notice: string | null,
    status = 200,
  ): Promise<FastifyReply> => {
    const nonce = randomBytes(16).toString('base64');
    const id = request.params.id;
    const page = await loadClaimPage(ctx.storage.db, id);
    if (!page) return html(reply, nonce, 404, await notFound(nonce));
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
    const codes = await customerCodes(ctx.storage.db, page.batch_id, customer);
    const left = Math.max(0, Number(page.total_stock) - Number(page.claimed));
    return html(
      reply,
      nonce,
      status,
      await claimPageHtml({
        nonce,
        title: page.title,
        batchName: batchName(page.batch_doc),
        left,
        codes,
        canClaim: codes.length < Number(page.per_customer) && left > 0,
        notice: notice ?? (left === 0 && codes.length === 0 ? reasonText('SOLD_OUT') : null),
        action: `/claim/${encodeURIComponent(id)}`,
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
      return show(request, reply, outcome.ok ? '领取成功' : reasonText(outcome.reason), status);
    });
  });

  app.get<{ Params: { id: string } }>('/claim/:id/poster', async (request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    const page = await loadClaimPage(ctx.storage.db, request.params.id);
    if (!page) return html(reply, nonce, 404, await notFound(nonce));
    const url = `${request.protocol}://${request.host}/claim/${encodeURIComponent(page.id)}`;
    return html(
      reply,
      nonce,
      200,
      await posterHtml(nonce, page.title, batchName(page.batch_doc), url),
    );
  });
}

import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';
import { closePayment } from '../payments/ledger/close';
import { createCodePayment } from '../payments/ledger/code-order';
import { createNativePayment } from '../payments/ledger/native-order';
import { paymentApproval } from '../payments/ledger/payment-approval';
import { applyNotification, type NotifyAnswer } from '../payments/ledger/notify';
import { paymentStatus } from '../payments/ledger/status';
import { codePaymentsOr503, providerOr503, type Payments } from '../payments/service';

/** WeChat waits 5 s for an answer; past this the notification is left to its next delivery. */
const NOTIFY_BUDGET_MS = 4_000;
const NOTIFY_BODY_LIMIT = 64 * 1024;

/** Native orders, payment codes, their state and closing, and WeChat Pay's notifications. */
export function registerPayments(app: FastifyInstance, ctx: AppContext, payments: Payments): void {
  registerRoute(app, ctx, ROUTES.createNativePayment, async ({ actor, body, address, now }) => {
    const provider = providerOr503(payments);
    const approval = await paymentApproval(
      ctx,
      payments.approvalLimitFen,
      actor,
      body,
      address,
      now,
    );
    return createNativePayment(ctx.storage, provider, actor, body, address, now, approval);
  });
  registerRoute(app, ctx, ROUTES.createCodePayment, async ({ actor, body, address, now }) => {
    const deps = { storage: ctx.storage, ...codePaymentsOr503(payments) };
    const approval = await paymentApproval(
      ctx,
      payments.approvalLimitFen,
      actor,
      body,
      address,
      now,
    );
    return createCodePayment(deps, actor, body, () => ctx.now(), approval);
  });
  registerRoute(app, ctx, ROUTES.payment, async ({ actor, params, now }) => {
    providerOr503(payments);
    return paymentStatus(ctx.storage, payments.provider, actor, params.id, now);
  });
  registerRoute(app, ctx, ROUTES.closePayment, async ({ actor, params, now }) =>
    closePayment(ctx.storage, providerOr503(payments), actor, params.id, now),
  );
  void app.register(async (scope) => {
    // The signature covers the body exactly as sent: no JSON parsing (nor re-serialising) here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    scope.route({
      method: ROUTES.wechatNotify.method,
      url: ROUTES.wechatNotify.path,
      bodyLimit: NOTIFY_BODY_LIMIT,
      handler: async (request, reply) => {
        const provider = providerOr503(payments);
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = provider.parseNotification({ headers: request.headers, rawBody });
        if (!result.ok) request.log.warn({ code: result.code }, 'WeChat Pay notification refused');
        const answer = await withinBudget(
          applyNotification(ctx.storage, result, ctx.now()).then(({ answer, confirm }) => {
            if (confirm !== null) payments.follower?.confirm(confirm.terminalId, confirm.id);
            return answer;
          }),
        );
        reply.code(answer.status);
        return answer.body === undefined ? reply.send() : reply.send(answer.body);
      },
    });
  });
}

/** The answer, or "send it again" if it takes longer than WeChat waits (the work goes on, idempotent). */
function withinBudget(work: Promise<NotifyAnswer>): Promise<NotifyAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<NotifyAnswer>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 500, body: { code: 'FAIL', message: 'BUSY' } }),
      NOTIFY_BUDGET_MS,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';
import { createRefund } from '../payments/ledger/refund';
import { refundStatus } from '../payments/ledger/refund-status';
import type { Payments } from '../payments/service';

/** Refunds (原路退款), approved by a manager; cash parts need no WeChat Pay configuration. */
export function registerRefunds(app: FastifyInstance, ctx: AppContext, payments: Payments): void {
  registerRoute(app, ctx, ROUTES.createRefund, async ({ actor, body, address, now }) =>
    createRefund(ctx, payments.provider, payments.approvalLimitFen, actor, body, address, now),
  );
  registerRoute(app, ctx, ROUTES.refund, async ({ actor, params, now }) =>
    refundStatus(ctx, payments.provider, actor, params.id, now),
  );
}

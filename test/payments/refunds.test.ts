import { afterEach, describe, expect, it, vi } from 'vitest';
import { fen } from '../../core/money';
import { newOutRefundNo, type OutTradeNo } from '../../server/payments/ids';
import { aNativeOrder, delivery, startWorld, type World } from './helpers';

let world: World;
afterEach(async () => {
  await world.close();
});

/** A paid Native order of 25.00 yuan; its notification is consumed. */
async function paidOrder(): Promise<OutTradeNo> {
  const order = aNativeOrder();
  await world.provider.createNative(order);
  world.sim.control.payNative(order.outTradeNo);
  await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
  world.receiver.received.length = 0;
  return order.outTradeNo;
}

describe('refunds (原路退款)', () => {
  it('refunds, then reports success by notification and by query', async () => {
    world = await startWorld();
    const outTradeNo = await paidOrder();
    const outRefundNo = newOutRefundNo();
    const r = await world.provider.refund({
      outTradeNo,
      outRefundNo,
      refund: fen(1_000),
      total: fen(2_500),
    });
    expect(r).toMatchObject({
      ok: true,
      refund: { outRefundNo, state: 'processing', refund: 1_000 },
    });

    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    expect(world.provider.parseNotification(delivery(world.receiver))).toMatchObject({
      ok: true,
      event: 'REFUND.SUCCESS',
      refund: { outRefundNo, outTradeNo, state: 'success', refund: 1_000, total: 2_500 },
    });
    const q = await world.provider.queryRefund(outRefundNo);
    expect(q.ok && q.refund.state).toBe('success');
  });

  it('makes one refund when retried with the same out_refund_no after a lost answer', async () => {
    world = await startWorld();
    const outTradeNo = await paidOrder();
    const input = {
      outTradeNo,
      outRefundNo: newOutRefundNo(),
      refund: fen(2_500),
      total: fen(2_500),
    };
    world.sim.control.addFault({ path: '/v3/refund/domestic/refunds', mode: 'drop_after' });
    expect(await world.provider.refund(input)).toMatchObject({ ok: false, kind: 'unknown' });
    const retried = await world.provider.refund(input);
    const again = await world.provider.refund(input);
    expect(retried.ok && again.ok && retried.refund.refundId === again.refund.refundId).toBe(true);
    expect(world.sim.control.refunds()).toHaveLength(1);
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
  });

  it('is refused when the same out_refund_no comes with another amount', async () => {
    world = await startWorld();
    const outTradeNo = await paidOrder();
    const outRefundNo = newOutRefundNo();
    await world.provider.refund({ outTradeNo, outRefundNo, refund: fen(500), total: fen(2_500) });
    expect(
      await world.provider.refund({ outTradeNo, outRefundNo, refund: fen(600), total: fen(2_500) }),
    ).toMatchObject({ ok: false, kind: 'refused', code: 'INVALID_REQUEST' });
    expect(world.sim.control.refunds()).toHaveLength(1);
  });

  it('is refused beyond what is left to refund', async () => {
    world = await startWorld();
    const outTradeNo = await paidOrder();
    const part = { outTradeNo, refund: fen(2_000), total: fen(2_500) };
    expect((await world.provider.refund({ ...part, outRefundNo: newOutRefundNo() })).ok).toBe(true);
    expect(await world.provider.refund({ ...part, outRefundNo: newOutRefundNo() })).toMatchObject({
      ok: false,
      kind: 'refused',
    });
  });

  it.each([
    ['ABNORMAL', 'abnormal'],
    ['CLOSED', 'closed'],
  ] as const)('reports REFUND.%s', async (result, state) => {
    world = await startWorld();
    world.sim.control.setRefundBehaviour({ result });
    const outTradeNo = await paidOrder();
    const outRefundNo = newOutRefundNo();
    await world.provider.refund({ outTradeNo, outRefundNo, refund: fen(100), total: fen(2_500) });
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    expect(world.provider.parseNotification(delivery(world.receiver))).toMatchObject({
      ok: true,
      event: `REFUND.${result}`,
      refund: { outRefundNo, state },
    });
  });

  it('answers not_found for a refund WeChat never saw', async () => {
    world = await startWorld();
    expect(await world.provider.queryRefund(newOutRefundNo())).toMatchObject({
      ok: false,
      kind: 'not_found',
      code: 'RESOURCE_NOT_EXISTS',
    });
  });

  it('refuses a refund larger than the total without sending it', async () => {
    world = await startWorld();
    const r = await world.provider.refund({
      outTradeNo: aNativeOrder().outTradeNo,
      outRefundNo: newOutRefundNo(),
      refund: fen(3_000),
      total: fen(2_500),
    });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    expect(world.sim.control.refunds()).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { settleCodePayment } from '../../server/payments/code-payment';
import { aCodePayment, startWorld, type World } from './helpers';

let world: World;
afterEach(async () => {
  await world.close();
});

/** Runs the poll loop on the world's clock: each sleep moves it, nothing waits. */
const settle = (input = aCodePayment()) =>
  settleCodePayment(world.provider, input, { sleep: world.time.sleep, clock: world.time.clock });

describe('payment codes (付款码)', () => {
  it('is paid at once when WeChat answers SUCCESS', async () => {
    world = await startWorld();
    const input = aCodePayment();
    const outcome = await settle(input);
    expect(outcome).toMatchObject({ outcome: 'paid', polls: 0, transaction: { state: 'paid' } });
    expect(world.sim.control.order(input.outTradeNo)).toMatchObject({ trade_state: 'SUCCESS' });
  });

  it('reads HTTP 202 USERPAYING as the customer confirming, not as a failure', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'userpaying' });
    expect(await world.provider.payByCode(aCodePayment())).toEqual({
      ok: true,
      status: 'user_paying',
    });
  });

  it('polls while USERPAYING and ends paid when the customer confirms', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({
      result: 'userpaying',
      confirmAfterPolls: 3,
      then: 'success',
      vouchers: [{ amount: 800, stock_id: 'S-LUNCH', coupon_id: 'CP-1' }],
    });
    const outcome = await settle();
    expect(outcome).toMatchObject({
      outcome: 'paid',
      polls: 3,
      transaction: { state: 'paid', payerTotal: 3_000, vouchers: [{ stockId: 'S-LUNCH' }] },
    });
  });

  it('reverses the order when the customer never confirms within 45 s', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const input = aCodePayment();
    const started = world.time.clock().getTime();
    const outcome = await settle(input);
    expect(outcome).toMatchObject({ outcome: 'reversed', reverseAttempts: 1 });
    // Polled every 4 s of the test clock until the 45 s deadline.
    expect(outcome.outcome === 'reversed' && outcome.polls).toBe(12);
    expect(world.time.clock().getTime() - started).toBeGreaterThanOrEqual(45_000);
    expect(world.sim.control.order(input.outTradeNo)).toMatchObject({ trade_state: 'REVOKED' });
  });

  it('repeats the reverse while it fails', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const input = aCodePayment();
    const reversePath = `/v3/pay/transactions/out-trade-no/${input.outTradeNo}/reverse`;
    world.sim.control.addFault({ path: reversePath, mode: 'server_error' });
    world.sim.control.addFault({ path: reversePath, mode: 'drop_before' });
    const outcome = await settle(input);
    expect(outcome).toMatchObject({ outcome: 'reversed', reverseAttempts: 3 });
    expect(world.sim.control.order(input.outTradeNo)).toMatchObject({ trade_state: 'REVOKED' });
  });

  it('hands the order to reconciliation when every reverse fails', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const input = aCodePayment();
    for (let i = 0; i < 3; i += 1)
      world.sim.control.addFault({
        path: `/v3/pay/transactions/out-trade-no/${input.outTradeNo}/reverse`,
        mode: 'server_error',
      });
    const outcome = await settleCodePayment(world.provider, input, {
      sleep: world.time.sleep,
      clock: world.time.clock,
      timing: { maxReverseAttempts: 3 },
    });
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'SERVER_ERROR' });
  });

  it('reverses when the customer turns out not to have enough money (PAYERROR)', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({
      result: 'userpaying',
      confirmAfterPolls: 2,
      then: 'notenough',
    });
    const input = aCodePayment();
    expect(await settle(input)).toMatchObject({ outcome: 'reversed', polls: 2 });
    expect(world.sim.control.order(input.outTradeNo)).toMatchObject({ trade_state: 'REVOKED' });
  });

  it('is declined when WeChat refuses at once (NOTENOUGH)', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'notenough' });
    expect(await settle()).toMatchObject({ outcome: 'declined', code: 'NOTENOUGH' });
  });

  it('treats a network error on the payment as unknown and finds it paid by query', async () => {
    world = await startWorld();
    world.sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'drop_after' });
    const input = aCodePayment();
    expect(await world.provider.payByCode(input)).toMatchObject({
      ok: false,
      kind: 'unknown',
      code: 'NETWORK_ERROR',
    });
    const input2 = aCodePayment();
    world.sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'drop_after' });
    expect(await settle(input2)).toMatchObject({ outcome: 'paid', polls: 1 });
  });

  it('treats a 2xx it cannot verify as unknown, and settles it by query', async () => {
    world = await startWorld();
    world.sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'bad_signature' });
    expect(await settle()).toMatchObject({ outcome: 'paid', polls: 1 });
  });

  it('lets the customer confirm a USERPAYING order by hand on the control API', async () => {
    world = await startWorld();
    world.sim.control.setCodePayBehaviour({ result: 'userpaying' });
    const input = aCodePayment();
    await world.provider.payByCode(input);
    const res = await fetch(`${world.sim.url}/sim/codepay/${input.outTradeNo}/confirm`, {
      method: 'POST',
      body: JSON.stringify({ result: 'success' }),
    });
    expect(res.status).toBe(200);
    const q = await world.provider.query(input.outTradeNo);
    expect(q.ok && q.transaction.state).toBe('paid');
  });

  it('refuses a code that is not a WeChat payment code without sending it', async () => {
    world = await startWorld();
    const r = await world.provider.payByCode(aCodePayment({ authCode: '281234567890123456' }));
    expect(r).toMatchObject({ ok: false, kind: 'invalid', code: 'INVALID_INPUT' });
    expect(r.ok || r.message).not.toContain('281234567890123456');
  });
});

/**
 * Times the rule engine on a realistic counter order: a 30-line cart and five
 * scanned vouchers of mixed kinds, two of which cannot stack, so the
 * combination search has real work. Prints median and p95 in microseconds.
 */
import { performance } from 'node:perf_hooks';
import { evaluate } from '../core/rules';
import { Candidate, Cart, EvaluationContext } from '../core/vouchers';
import { quantile, report } from './report';

const CATEGORIES = ['drinks', 'food', 'snacks'];

const cart = Cart.parse({
  lines: Array.from({ length: 30 }, (_, i) => ({
    lineId: `L${String(i).padStart(2, '0')}`,
    sku: `SKU-${String(i % 24).padStart(3, '0')}`,
    category: CATEGORIES[i % CATEGORIES.length],
    name: `Item ${i}`,
    unitPriceFen: 500 + ((i * 737) % 4_000),
    quantity: 1 + (i % 3),
  })),
  memberDiscountApplied: false,
  memberTier: 'gold',
  customerId: 'C-1',
});

const batch = (id: string, benefit: object, extra: object = {}): object => ({
  id,
  name: id,
  benefit,
  state: 'active',
  validity: {
    type: 'fixed',
    from: '2026-01-01T00:00:00+08:00',
    until: '2027-01-01T00:00:00+08:00',
  },
  windows: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], startMinute: 480, endMinute: 1_320 }],
  items: { skus: [], categories: [] },
  minSpendFen: 0,
  stores: { type: 'listed', storeIds: [], groupIds: ['EAST'] },
  memberTiers: [],
  stacking: 'any',
  withMemberDiscount: true,
  perOrderLimit: 1,
  perCustomerDailyLimit: 2,
  dailyCap: 1_000,
  ...extra,
});

const candidates = [
  {
    code: 'MJ300-0001',
    batch: batch(
      'B-MJ',
      { kind: 'threshold', thresholdFen: 30_000, valueFen: 5_000 },
      { stacking: 'other_kinds' },
    ),
  },
  {
    code: 'ZHE8-0001',
    batch: batch(
      'B-ZHE',
      { kind: 'discount', percentOffBp: 2_000, capFen: 3_000 },
      { items: { skus: [], categories: ['drinks'] } },
    ),
  },
  { code: 'GIFT-0001', batch: batch('B-GIFT', { kind: 'gift', sku: 'SKU-003', quantity: 1 }) },
  {
    code: 'EXCL-0001',
    batch: batch('B-EXCL', { kind: 'cash', valueFen: 8_000 }, { stacking: 'exclusive' }),
  },
  {
    code: 'CASH-0001',
    batch: batch('B-CASH', { kind: 'cash', valueFen: 2_000 }, { stacking: 'other_kinds' }),
  },
].map((c) => Candidate.parse({ ...c, claimedAt: null, redeemed: null }));

const context = EvaluationContext.parse({
  now: '2026-06-15T04:00:00.000Z',
  storeId: 'SH-01',
  storeGroupIds: ['EAST'],
  timeZone: 'Asia/Shanghai',
  usageToday: { 'B-MJ': { batch: 10, customer: 0 } },
});

const first = evaluate(cart, candidates, context);
console.error(
  `# applied ${first.applied.map((a) => `${a.code}=${a.discountFen}`).join(' ')}; refused ${first.refused
    .map((r) => `${r.code}:${r.reason.code}`)
    .join(' ')}`,
);

const WARM_UP = 2_000;
const ROUNDS = 20_000;
let sink = 0;
for (let i = 0; i < WARM_UP; i++) sink += evaluate(cart, candidates, context).discountFen;
const samples: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const t0 = performance.now();
  sink += evaluate(cart, candidates, context).discountFen;
  samples.push((performance.now() - t0) * 1_000);
}
if (sink < 0) console.error('unreachable');
report('rules.evaluate.median_us', quantile(samples, 0.5), 'us');
report('rules.evaluate.p95_us', quantile(samples, 0.95), 'us');

import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BatchId,
  CategoryId,
  MemberTier,
  Sku,
  StoreGroupId,
  StoreId,
  UserId,
} from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Product, StoreGroup, StoreInput } from '../../core/protocol';
import type { Batch, Benefit, StoreScope } from '../../core/vouchers';
import type { ServerKeys } from '../auth/keys';
import { createPairingCode, createUser } from '../catalog/access';
import { createBatch, issueCodes } from '../catalog/batches';
import { upsertProduct, upsertStore, upsertStoreGroup } from '../catalog/stores';
import type { Storage } from '../db/storage';
import { upsertMember, type MemberInput } from '../members/members';

/** What a demo needs to drive the chain: written to DATA_DIR/demo.json. */
export interface DemoFile {
  pairingCodes: { storeId: string; code: string }[];
  cashiers: { storeId: string; name: string; pin: string }[];
  managers: { username: string; password: string }[];
  codes: Record<string, string[]>;
  batches: { id: string; kind: string; name: string }[];
  products: { sku: string; name: string; barcode: string; priceFen: number }[];
  /** Demo members (会员): scan the card or type the phone at the till. */
  members: MemberInput[];
}

export const DEMO_FILE = 'demo.json';
const CODES_PER_BATCH = 50;
const PAIRING_CODES_PER_STORE = 3;

/** EAN-13 from 12 digits: appends the check digit. */
export function ean13(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}

const groups: StoreGroup[] = [
  { id: 'east' as StoreGroupId, name: '华东区' },
  { id: 'south' as StoreGroupId, name: '华南区' },
];

const stores: StoreInput[] = [
  {
    id: 'sh-001' as StoreId,
    name: '上海南京西路店',
    timeZone: 'Asia/Shanghai',
    groupIds: ['east' as StoreGroupId],
  },
  {
    id: 'hz-001' as StoreId,
    name: '杭州西湖店',
    timeZone: 'Asia/Shanghai',
    groupIds: ['east' as StoreGroupId],
  },
  {
    id: 'gz-001' as StoreId,
    name: '广州天河店',
    timeZone: 'Asia/Shanghai',
    groupIds: ['south' as StoreGroupId],
  },
  {
    id: 'sz-001' as StoreId,
    name: '深圳南山店',
    timeZone: 'Asia/Shanghai',
    groupIds: ['south' as StoreGroupId],
  },
];

const product = (
  sku: string,
  name: string,
  category: string,
  priceFen: number,
  digits: string,
): Product => ({
  sku: sku as Sku,
  name,
  category: category as CategoryId,
  priceFen: priceFen as Fen,
  barcodes: [ean13(`690${digits}`)],
});

const products: Product[] = [
  product('latte', '拿铁咖啡', 'coffee', 2800, '123400001'),
  product('americano', '美式咖啡', 'coffee', 2200, '123400002'),
  product('oolong-tea', '乌龙茶', 'tea', 1800, '123400003'),
  product('croissant', '牛角包', 'bakery', 1500, '123400004'),
  product('ham-sandwich', '火腿三明治', 'bakery', 2600, '123400005'),
  product('cheesecake', '芝士蛋糕', 'bakery', 3200, '123400006'),
];

/** Tiers silver < gold < platinum; the gold card unlocks demo-member-gold. */
const members: MemberInput[] = [
  {
    id: 'm-0001',
    name: '张伟',
    phone: '13800138000',
    card: 'TPM-00000001',
    tier: 'gold' as MemberTier,
  },
  {
    id: 'm-0002',
    name: '李娜',
    phone: '13912345678',
    card: 'TPM-00000002',
    tier: 'silver' as MemberTier,
  },
  {
    id: 'm-0003',
    name: '王芳',
    phone: '18612345678',
    card: 'TPM-00000003',
    tier: 'platinum' as MemberTier,
  },
];

function demoBatches(now: string): Batch[] {
  const validity = {
    type: 'fixed' as const,
    from: new Date(Date.parse(now) - 86_400_000).toISOString(),
    until: new Date(Date.parse(now) + 365 * 86_400_000).toISOString(),
  };
  const all: StoreScope = { type: 'all' };
  const batch = (
    id: string,
    name: string,
    benefit: Benefit,
    stores: StoreScope,
    categories: string[] = [],
  ): Batch => ({
    id: id as BatchId,
    name,
    benefit,
    state: 'active',
    validity,
    windows: [],
    items: { skus: [], categories: categories as CategoryId[] },
    minSpendFen: 0 as Fen,
    stores,
    memberTiers: [],
    stacking: 'other_kinds',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
    returnOnRefund: false,
  });
  return [
    batch('demo-cash', '无门槛10元现金券', { kind: 'cash', valueFen: 1000 as Fen }, all),
    batch(
      'demo-threshold',
      '满100减20代金券',
      { kind: 'threshold', thresholdFen: 10000 as Fen, valueFen: 2000 as Fen },
      all,
    ),
    batch(
      'demo-discount',
      '咖啡8折券',
      { kind: 'discount', percentOffBp: 2000, capFen: 3000 as Fen },
      { type: 'listed', storeIds: [], groupIds: ['east' as StoreGroupId] },
      ['coffee'],
    ),
    batch(
      'demo-gift',
      '牛角包礼品券',
      { kind: 'gift', sku: 'croissant' as Sku, quantity: 1 },
      { type: 'listed', storeIds: ['sh-001' as StoreId, 'gz-001' as StoreId], groupIds: [] },
    ),
    batch(
      'demo-group-buy',
      '拿铁+牛角包团购套餐',
      {
        kind: 'group_buy',
        items: [
          { sku: 'latte' as Sku, quantity: 1 },
          { sku: 'croissant' as Sku, quantity: 1 },
        ],
        priceFen: 3300 as Fen,
      },
      all,
    ),
    {
      ...batch(
        'demo-member-gold',
        '金卡会员专享8元券',
        { kind: 'cash', valueFen: 800 as Fen },
        all,
      ),
      memberTiers: ['gold' as MemberTier],
      withMemberDiscount: false,
      perCustomerDailyLimit: 1,
    },
    batch(
      'demo-general',
      '通用5元优惠券',
      { kind: 'general', valueFen: 500 as Fen },
      { type: 'listed', storeIds: [], groupIds: ['south' as StoreGroupId] },
    ),
  ];
}

/** True when the database holds no stores yet (a fresh data dir or database). */
export async function isEmpty(storage: Storage): Promise<boolean> {
  const row = await storage.db.selectFrom('stores').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Seeds the demo chain and writes demo.json (atomically) into dataDir. */
export async function seedDemo(
  storage: Storage,
  keys: ServerKeys,
  dataDir: string,
  now: () => string,
): Promise<DemoFile> {
  const editor = { actor: 'system:demo-seed', terminalId: null };
  const batches = demoBatches(now());
  await storage.write(async (w) => {
    for (const g of groups) await upsertStoreGroup(w, editor, g, now());
    for (const s of stores) await upsertStore(w, editor, s, now());
    for (const p of products) await upsertProduct(w, editor, p, now());
    for (const b of batches) await createBatch(w, editor, b, now());
    for (const m of members) await upsertMember(w, editor, m, now());
  });
  const demo: DemoFile = {
    pairingCodes: [],
    cashiers: [],
    managers: [
      { username: 'admin', password: 'tillpoint-admin' },
      { username: 'sh001-manager', password: 'tillpoint-manager' },
    ],
    codes: {},
    batches: batches.map((b) => ({ id: b.id, kind: b.benefit.kind, name: b.name })),
    products: products.map((p) => ({
      sku: p.sku,
      name: p.name,
      barcode: p.barcodes[0] ?? '',
      priceFen: p.priceFen,
    })),
    members,
  };
  await createUser(
    storage,
    keys.pinPepper,
    editor,
    {
      role: 'chain_manager',
      id: 'admin' as UserId,
      name: '连锁管理员',
      username: 'admin',
      password: 'tillpoint-admin',
    },
    now(),
  );
  await createUser(
    storage,
    keys.pinPepper,
    editor,
    {
      role: 'store_manager',
      id: 'sh001-manager' as UserId,
      name: '南京西路店长',
      storeId: 'sh-001' as StoreId,
      username: 'sh001-manager',
      password: 'tillpoint-manager',
    },
    now(),
  );
  for (const [i, s] of stores.entries()) {
    const pin = String(i + 1).repeat(4);
    const name = `收银员${i + 1}`;
    await createUser(
      storage,
      keys.pinPepper,
      editor,
      { role: 'cashier', id: `cashier-${s.id}` as UserId, name, storeId: s.id, pin },
      now(),
    );
    demo.cashiers.push({ storeId: s.id, name, pin });
    for (let k = 0; k < PAIRING_CODES_PER_STORE; k++) {
      const { code } = await createPairingCode(storage, editor, s.id, 24 * 30, now());
      demo.pairingCodes.push({ storeId: s.id, code });
    }
  }
  for (const b of batches) {
    const issued = await issueCodes(
      storage,
      keys.codePrivateKeyHex,
      editor,
      b.id,
      CODES_PER_BATCH,
      null,
      now,
    );
    demo.codes[b.id] = issued.map((c) => c.code);
  }
  const path = join(dataDir, DEMO_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(demo, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return demo;
}

import type { StoreGroupId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Product } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import type { Candidate } from '../../core/vouchers';
import { verifySignedCode } from '../../core/codes/index';
import { pricedSkus } from '../../core/rules/index';
import type { TillpointDb } from './db';
import type { TerminalRecord } from './records';

/** Finds a product by any of its barcodes (EAN-13, EAN-8, UPC-A) in the cached catalog. */
export async function productByBarcode(
  db: TillpointDb,
  barcode: string,
): Promise<Product | undefined> {
  return db.products.where('barcodes').equals(barcode).first();
}

/** The store's groups (regions) as the cached catalog knows them, for cross-store rules. */
export async function storeGroupIds(
  db: TillpointDb,
  terminal: TerminalRecord,
): Promise<StoreGroupId[]> {
  const store = await db.stores.get(terminal.store.id);
  return [...(store ?? terminal.store).groupIds];
}

/** Local redemptions that must not count as an earlier use of the code. */
export interface LocalIgnore {
  readonly redemptionId?: string;
  readonly saleId?: string | null;
}

export type CandidateLookup =
  | { readonly ok: true; readonly candidate: Candidate }
  | {
      readonly ok: false;
      readonly reason: Reason;
      readonly batchId: Candidate['batch']['id'] | null;
    };

/**
 * What the terminal knows of a code with no server: its cached state and batch, or, for a code
 * the chain signed, its batch from the verified payload. `ignore` leaves out the redemption being
 * decided and a sale's own earlier redemptions, so neither counts as "already redeemed".
 */
export async function candidateFromCache(
  db: TillpointDb,
  terminal: TerminalRecord,
  code: VoucherCode,
  ignore: LocalIgnore = {},
): Promise<CandidateLookup> {
  const [state, local] = await Promise.all([
    db.codes.get(code),
    localRedemptionOf(db, code, ignore),
  ]);
  let batchId = state?.batchId ?? null;
  if (state === undefined) {
    const signed = verifiedCode(terminal.codePublicKey, code);
    if (!signed.ok) {
      const reason: Reason =
        signed.code === 'FORGED' ? { code: 'FORGED_CODE' } : { code: 'UNKNOWN_CODE' };
      return { ok: false, reason, batchId: null };
    }
    batchId = signed.value.batchId;
  }
  if (state?.state === 'void') return { ok: false, reason: { code: 'CODE_VOID' }, batchId };
  const batch = batchId === null ? undefined : await db.batches.get(batchId);
  if (batch === undefined) return { ok: false, reason: { code: 'NOT_IN_CATALOG' }, batchId };
  return {
    ok: true,
    candidate: {
      code,
      batch,
      claimedAt: state?.claimedAt ?? null,
      redeemed: local ?? state?.redeemed ?? null,
    },
  };
}

/**
 * A signature check is pure but costs an Ed25519 verification (milliseconds on a slow till); a
 * code is often checked more than once (the cart, then the redemption), so recent answers are kept.
 */
const verified = new Map<string, ReturnType<typeof verifySignedCode>>();
const VERIFIED_KEEP = 512;

function verifiedCode(publicKey: string, code: VoucherCode): ReturnType<typeof verifySignedCode> {
  const key = `${publicKey}\u0000${code}`;
  const known = verified.get(key);
  if (known) return known;
  const result = verifySignedCode(publicKey, code);
  if (verified.size >= VERIFIED_KEEP) verified.delete(verified.keys().next().value as string);
  verified.set(key, result);
  return result;
}

/**
 * This terminal's own use of a code that the server may not know of yet: a redemption that is
 * accepted, waiting to sync, or still in flight. It is what stops one code being used twice here.
 * An 'unconfirmed' one does not count: the cashier was told it was refused (redeem.ts).
 */
export async function localRedemptionOf(
  db: TillpointDb,
  code: VoucherCode,
  ignore: LocalIgnore = {},
): Promise<Candidate['redeemed']> {
  const records = await db.redemptions.where('code').equals(code).toArray();
  const used = records.find(
    (r) =>
      (r.state === 'pending' || r.state === 'sending' || r.state === 'synced') &&
      r.returnedAt === undefined &&
      r.id !== ignore.redemptionId &&
      (ignore.saleId == null || r.saleId !== ignore.saleId),
  );
  return used
    ? { at: used.request.at, storeId: used.request.storeId, terminalId: used.request.terminalId }
    : null;
}

/** Prices of the SKUs a gift or group-buy benefit names, for a quick redeem with no cart. */
export async function pricesFor(db: TillpointDb, candidate: Candidate): Promise<Map<string, Fen>> {
  const products = await db.products.bulkGet([...pricedSkus(candidate.batch.benefit)]);
  const prices = new Map<string, Fen>();
  for (const p of products) if (p) prices.set(p.sku, p.priceFen);
  return prices;
}

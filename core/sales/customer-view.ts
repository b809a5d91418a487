import { z } from 'zod';
import { Instant, MemberTier } from '../ids';
import { maskPhone } from '../members';
import { addFen, Fen, ZERO } from '../money';
import { SafeText } from '../text';

const Name = SafeText.min(1).max(200);

/**
 * Where the customer is in paying, as the customer display shows it:
 * idle (no order), scanning (lines coming in), due (the amount to pay, tender being chosen),
 * native (the WeChat QR code to scan, until `expiresAt`), checking (a payment whose result is not
 * known yet — never shown as failed), paid (thank you, with any change), failed (the reason).
 */
export const CustomerPhase = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }).strict(),
  z.object({ kind: z.literal('scanning') }).strict(),
  z.object({ kind: z.literal('due') }).strict(),
  z
    .object({
      kind: z.literal('native'),
      codeUrl: z.string().min(1).max(512),
      amountFen: Fen,
      expiresAt: Instant,
    })
    .strict(),
  z.object({ kind: z.literal('checking') }).strict(),
  /** A payment code was charged; WeChat waits for the customer to confirm on the phone. */
  z.object({ kind: z.literal('confirming') }).strict(),
  z.object({ kind: z.literal('paid'), changeFen: Fen }).strict(),
  z
    .object({ kind: z.literal('failed'), reason: z.enum(['expired', 'closed', 'declined']) })
    .strict(),
]);
export type CustomerPhase = z.infer<typeof CustomerPhase>;

/**
 * The whole of what the customer display shows, sent by the cashier window on every change. The
 * display is read-only and holds no state of its own: each view replaces the last.
 */
export const CustomerView = z
  .object({
    locale: z.enum(['zh-CN', 'en']),
    storeName: SafeText.max(200),
    lines: z
      .array(
        z
          .object({
            name: Name,
            quantity: z.number().int().min(1),
            unitPriceFen: Fen,
            amountFen: Fen,
          })
          .strict(),
      )
      .max(500),
    vouchers: z.array(z.object({ name: Name, discountFen: Fen }).strict()).max(50),
    subtotalFen: Fen,
    discountFen: Fen,
    dueFen: Fen,
    /** The member on the order: the tier and the phone masked (never the full number). */
    member: z
      .object({ tier: MemberTier, phoneMasked: z.string().regex(/^(\d{3}\*{4}\d{4}|\*{3})$/) })
      .strict()
      .nullable(),
    /** What the member-only vouchers (those of batches limited to member tiers) save. */
    memberSavingsFen: Fen,
    phase: CustomerPhase,
  })
  .strict();
export type CustomerView = z.infer<typeof CustomerView>;

export interface CustomerViewInput {
  readonly locale: CustomerView['locale'];
  readonly storeName: string;
  readonly lines: readonly {
    readonly name: string;
    readonly quantity: number;
    readonly unitPriceFen: Fen;
  }[];
  /**
   * The vouchers as they stand: previewed while scanning, redeemed once paying. `memberOnly`: its
   * batch is limited to member tiers, so its discount counts as the member's savings.
   */
  readonly vouchers: readonly {
    readonly name: string;
    readonly discountFen: Fen;
    readonly memberOnly: boolean;
  }[];
  /** The member the cashier identified; the phone is masked here, before it leaves the till window. */
  readonly member: { readonly tier: MemberTier; readonly phone: string } | null;
  readonly subtotalFen: Fen;
  readonly discountFen: Fen;
  readonly dueFen: Fen;
  /** Set once the cashier is taking payment; without it the phase follows the cart. */
  readonly phase: CustomerPhase | null;
}

/** The customer's view of the till: idle with an empty order, else the order and its phase. */
export function customerViewOf(input: CustomerViewInput): CustomerView {
  const lines = input.lines.map((l) => ({
    name: l.name,
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    amountFen: (l.unitPriceFen * l.quantity) as Fen,
  }));
  const phase: CustomerPhase =
    input.phase ?? (lines.length === 0 ? { kind: 'idle' } : { kind: 'scanning' });
  return {
    locale: input.locale,
    storeName: input.storeName,
    lines,
    // A voucher that saves nothing is noise on the customer's screen.
    vouchers: input.vouchers
      .filter((v) => v.discountFen > 0)
      .map((v) => ({ name: v.name, discountFen: v.discountFen })),
    subtotalFen: input.subtotalFen,
    discountFen: input.discountFen,
    dueFen: input.dueFen,
    member:
      input.member === null
        ? null
        : { tier: input.member.tier, phoneMasked: maskPhone(input.member.phone) },
    memberSavingsFen:
      input.member === null
        ? ZERO
        : addFen(...input.vouchers.filter((v) => v.memberOnly).map((v) => v.discountFen)),
    phase,
  };
}

/** What the cashier window and the customer display say to each other on their channel. */
export const CustomerMessage = z.discriminatedUnion('type', [
  /** The display (re)opened and asks for the current view. */
  z.object({ type: z.literal('hello') }).strict(),
  z.object({ type: z.literal('view'), view: CustomerView }).strict(),
]);
export type CustomerMessage = z.infer<typeof CustomerMessage>;

/** The BroadcastChannel of a till's windows (same origin, same profile: no server, works offline). */
export const CUSTOMER_CHANNEL = 'tillpoint-customer';

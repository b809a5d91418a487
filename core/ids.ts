import { z } from 'zod';
import { isValidTimeZone } from './time';

/**
 * Branded identifiers. A StoreId cannot be passed where a TerminalId is meant,
 * even though both are strings on the wire.
 */
const name = z.string().trim().min(1).max(64);
const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits and _ . : - only');

export const StoreId = slug.brand<'StoreId'>();
export type StoreId = z.infer<typeof StoreId>;
export const StoreGroupId = slug.brand<'StoreGroupId'>();
export type StoreGroupId = z.infer<typeof StoreGroupId>;
export const TerminalId = slug.brand<'TerminalId'>();
export type TerminalId = z.infer<typeof TerminalId>;
export const BatchId = slug.brand<'BatchId'>();
export type BatchId = z.infer<typeof BatchId>;
export const Sku = slug.brand<'Sku'>();
export type Sku = z.infer<typeof Sku>;
export const CategoryId = slug.brand<'CategoryId'>();
export type CategoryId = z.infer<typeof CategoryId>;
export const MemberTier = slug.brand<'MemberTier'>();
export type MemberTier = z.infer<typeof MemberTier>;
export const UserId = slug.brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;
export const LineId = slug.brand<'LineId'>();
export type LineId = z.infer<typeof LineId>;

/** What a scanner reads from a voucher: upper-case letters, digits and dashes. */
export const VoucherCode = z
  .string()
  .min(4)
  .max(160)
  .regex(/^[A-Z0-9-]+$/, 'voucher codes are upper-case letters, digits and dashes')
  .brand<'VoucherCode'>();
export type VoucherCode = z.infer<typeof VoucherCode>;

/**
 * Client-generated idempotency key of every retryable write (DESIGN.md
 * "Money, time, identity"): a UUID (v7 preferred, so keys sort by time).
 */
export const ClientId = z.uuid().brand<'ClientId'>();
export type ClientId = z.infer<typeof ClientId>;

/** A UTC instant as ISO-8601 text with an offset, e.g. 2026-11-22T05:00:00.000Z. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/** An IANA time zone such as Asia/Shanghai; an unknown zone is refused here, not deep in a rule. */
export const TimeZone = z.string().min(1).max(64).refine(isValidTimeZone, {
  message: 'unknown time zone; use an IANA name such as Asia/Shanghai',
});

export const DisplayName = name;

import { z } from 'zod';
import { DisplayName, MemberTier } from '../ids';
import { MemberCard, MemberPhone } from '../members';
import { SafeText } from '../text';

export const MemberId = SafeText.min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits and _ . : - only');
export type MemberId = z.infer<typeof MemberId>;

/**
 * A member of the chain as tills cache it (from the change feed) and the look-up answers it.
 * `version` grows with every edit: a till keeps the higher one.
 */
export const Member = z
  .object({
    id: MemberId,
    phone: MemberPhone,
    card: MemberCard,
    name: DisplayName,
    tier: MemberTier,
    version: z.number().int().min(1),
  })
  .strict();
export type Member = z.infer<typeof Member>;

/** GET /v1/members/lookup: by the card scanned or the phone typed — exactly one of them. */
export const MemberLookupQuery = z
  .object({ card: MemberCard.optional(), phone: MemberPhone.optional() })
  .strict()
  .refine((q) => (q.card === undefined) !== (q.phone === undefined), {
    message: 'give either card or phone',
  });
export type MemberLookupQuery = z.infer<typeof MemberLookupQuery>;

export const MemberLookup = z.object({ member: Member }).strict();
export type MemberLookup = z.infer<typeof MemberLookup>;

import type { MemberTier } from '../../core/ids';
import { maskPhone } from '../../core/members';
import type { Member, MemberLookup, MemberLookupQuery, SaleFlag } from '../../core/protocol';
import type { Cart } from '../../core/vouchers';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import { countAttempt, tooMany } from '../auth/limits';
import type { Editor } from '../catalog/stores';
import type { AppContext } from '../context';
import type { Queryable } from '../db/prepared';
import { kyselyOf } from '../db/prepared';
import type { MemberTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { HttpError } from '../http/errors';

/** What a member is given as, before the server numbers its version. */
export type MemberInput = Omit<Member, 'version'>;

function memberOf(row: MemberTable): Member {
  return {
    id: row.id,
    phone: row.phone,
    card: row.card,
    name: row.name,
    tier: row.tier as MemberTier,
    version: Number(row.version),
  };
}

/** The audit's view of a member: the phone masked (the audit log is read by people). */
const audited = (m: Member) => ({ ...m, phone: maskPhone(m.phone) });

/**
 * Creates or edits a member; the new version goes out on the change feed to every till (members
 * are the chain's: a member shops in any store). A phone or card already another member's is
 * refused by the unique indexes. `requestId` is the console change's idempotency key (null for
 * the seed), kept so a retry of it is answered with the stored member.
 */
export async function upsertMember(
  w: WriteTx,
  editor: Editor,
  input: MemberInput,
  now: string,
  requestId: string | null = null,
): Promise<Member> {
  const before = await w.trx
    .selectFrom('members')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  const version = before ? Number(before.version) + 1 : 1;
  const row: MemberTable = {
    ...input,
    created_at: before?.created_at ?? now,
    updated_at: now,
    version,
    updated_by: editor.actor,
    last_request_id: requestId,
  };
  // The id and created_at of an existing member stay as they are.
  const edit = {
    phone: row.phone,
    card: row.card,
    name: row.name,
    tier: row.tier,
    updated_at: row.updated_at,
    version: row.version,
    updated_by: row.updated_by,
    last_request_id: row.last_request_id,
  };
  await w.trx
    .insertInto('members')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(edit))
    .execute();
  const member = memberOf(row);
  await appendChanges(w, [{ change: { type: 'member', member }, batchId: null }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: before ? 'member.updated' : 'member.created',
      subject: `member:${member.id}`,
      before: before ? audited(memberOf(before)) : null,
      after: audited(member),
    },
    now,
  );
  return member;
}

async function memberBy(
  db: Queryable,
  where: { id: string } | { card: string } | { phone: string },
): Promise<Member | undefined> {
  const [column, value] = Object.entries(where)[0] as ['id' | 'card' | 'phone', string];
  const row = await kyselyOf(db)
    .selectFrom('members')
    .selectAll()
    .where(column, '=', value)
    .executeTakeFirst();
  return row ? memberOf(row) : undefined;
}

/**
 * A member by card or phone for a till at the counter; 404 when none (the message names the
 * phone masked only). Counted per terminal like code look-ups: phone numbers are guessable.
 */
export async function lookupMember(
  ctx: AppContext,
  actor: TerminalActor,
  query: MemberLookupQuery,
  now: string,
): Promise<MemberLookup> {
  const rate = await ctx.storage.write((w) =>
    countAttempt(
      w,
      'member_lookups',
      actor.terminalId,
      { max: ctx.limits.lookupPerMinute, windowMs: 60_000 },
      now,
    ),
  );
  if (rate.over) throw tooMany('member look-ups from this terminal', rate);
  const member =
    query.card !== undefined
      ? await memberBy(ctx.storage.db, { card: query.card })
      : query.phone !== undefined
        ? await memberBy(ctx.storage.db, { phone: query.phone })
        : undefined;
  if (!member)
    throw new HttpError(
      404,
      'NOT_FOUND',
      query.card !== undefined
        ? `No member has card ${query.card}; check the card, or register the customer first.`
        : `No member has phone ${maskPhone(query.phone ?? '')}; check the number, or register the customer first.`,
    );
  return { member };
}

/**
 * The sale's member as the server knows it: a tier claimed for no member (or for a customer id
 * that is no member's), or a tier other than the member's, is flagged — the vouchers were judged
 * on the till's claim, and a manager reviews. A sale without a tier claims nothing.
 */
export async function memberFlags(w: WriteTx, cart: Cart): Promise<SaleFlag[]> {
  const { customerId, memberTier } = cart;
  const member = customerId === null ? undefined : await memberBy(w, { id: customerId });
  if (!member) {
    // A customer id that is no member's (a WeChat openid) claims nothing unless a tier came with it.
    if (memberTier === null) return [];
    return [
      { code: 'MEMBER', problem: 'unknown', customerId, tillTier: memberTier, serverTier: null },
    ];
  }
  if (member.tier === memberTier) return [];
  return [
    { code: 'MEMBER', problem: 'tier', customerId, tillTier: memberTier, serverTier: member.tier },
  ];
}

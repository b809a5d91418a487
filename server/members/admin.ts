import type { Kysely, Selectable } from 'kysely';
import type { MemberTier, UserId } from '../../core/ids';
import { maskPhone, phonePrefixRange } from '../../core/members';
import type {
  AddMemberRequest,
  MemberDetail,
  MemberRow,
  MembersPage,
  MembersQuery,
  SetMemberTierRequest,
} from '../../core/protocol';
import { requireAnyManager, type UserActor } from '../auth/actors';
import { editorOf } from '../catalog/stores';
import type { Database, MemberTable } from '../db/schema';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { upsertMember } from './members';

type Db = Pick<Kysely<Database>, 'selectFrom'>;
type Row = Selectable<MemberTable>;

export function memberRow(r: Row): MemberRow {
  return {
    id: r.id,
    card: r.card,
    name: r.name,
    tier: r.tier as MemberTier,
    phoneMasked: maskPhone(r.phone),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedBy: r.updated_by as UserId | null,
    updatedAt: r.updated_at,
  };
}

/** The full number is a chain manager's to see; a store manager gets it masked only. */
function detailOf(r: Row, user: UserActor): MemberDetail {
  return { ...memberRow(r), phone: user.role === 'chain_manager' ? r.phone : null };
}

/**
 * A page of members in id order, optionally those whose phone starts with `phone` and of one
 * tier. Any manager may read it (members are the chain's); the cursor is the last id, never a
 * phone.
 */
export async function membersPage(db: Db, user: UserActor, q: MembersQuery): Promise<MembersPage> {
  requireAnyManager(user);
  let query = db.selectFrom('members').selectAll();
  if (q.phone !== undefined) {
    const { from, to } = phonePrefixRange(q.phone);
    query = query.where('phone', '>=', from).where('phone', '<=', to);
  }
  if (q.tier !== undefined) query = query.where('tier', '=', q.tier);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    members: page.map(memberRow),
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

async function rowById(db: Db, id: string): Promise<Row> {
  const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no member ${id}; check the id.`);
  return row;
}

/** One member, for any manager; the full phone for a chain manager only. */
export async function memberDetail(db: Db, user: UserActor, id: string): Promise<MemberDetail> {
  requireAnyManager(user);
  return detailOf(await rowById(db, id), user);
}

/** The card after the highest one given, and the member id that goes with it (m- and its digits). */
export async function nextCards(w: WriteTx, count: number): Promise<string[]> {
  // PostgreSQL: the append lock makes concurrent adds (on any instance) take numbers in turn.
  await w.lockAppends();
  const top = await w.trx
    .selectFrom('members')
    .select((eb) => eb.fn.max('card').as('card'))
    .executeTakeFirst();
  const last = top?.card ? Number(top.card.slice(4)) : 0;
  if (last + count > 99_999_999)
    throw new HttpError(409, 'CONFLICT', 'Every TPM- card number is taken; give the card by hand.');
  return Array.from({ length: count }, (_, i) => `TPM-${String(last + 1 + i).padStart(8, '0')}`);
}

export const memberIdOf = (card: string): string => `m-${card.slice(4)}`;

async function phoneTaken(w: WriteTx, phone: string): Promise<void> {
  const other = await w.trx
    .selectFrom('members')
    .select('id')
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (other)
    throw new HttpError(
      409,
      'CONFLICT',
      `${maskPhone(phone)} is already member ${other.id}'s number; search for it and change that member.`,
    );
}

/**
 * Adds a member; without a card, the next free TPM- number. A retry of the same requestId gets
 * the member it made; the same requestId with another phone is refused.
 */
export function addMember(
  storage: Storage,
  user: UserActor,
  request: AddMemberRequest,
  now: string,
): Promise<MemberDetail> {
  return storage.write(async (w) => {
    const made = await w.trx
      .selectFrom('members')
      .selectAll()
      .where('last_request_id', '=', request.requestId)
      .executeTakeFirst();
    if (made) {
      if (made.phone !== request.phone || made.version !== 1)
        throw new HttpError(
          409,
          'IDEMPOTENCY_KEY_REUSED',
          'This request id was used for another change; send a new request id.',
        );
      return detailOf(made, user);
    }
    await phoneTaken(w, request.phone);
    let card = request.card;
    if (card === undefined) [card] = await nextCards(w, 1);
    else {
      const holder = await w.trx
        .selectFrom('members')
        .select('id')
        .where('card', '=', card)
        .executeTakeFirst();
      if (holder)
        throw new HttpError(
          409,
          'CONFLICT',
          `Card ${card} is already member ${holder.id}'s; give another card.`,
        );
    }
    if (card === undefined) throw new Error('nextCards gave no card');
    const input = {
      id: memberIdOf(card),
      phone: request.phone,
      card,
      name: request.name,
      tier: request.tier,
    };
    await upsertMember(w, editorOf(user), input, now, request.requestId);
    return detailOf(await rowById(w.trx, input.id), user);
  });
}

/**
 * Changes a member's tier, checked against the version it was made on: when someone changed
 * the member since, VERSION_CONFLICT names who and when and nothing is written. A retry of a
 * change that went through gets the stored member.
 */
export function setMemberTier(
  storage: Storage,
  user: UserActor,
  id: string,
  request: SetMemberTierRequest,
  now: string,
): Promise<MemberDetail> {
  return storage.write(async (w) => {
    const row = await rowById(w.trx, id);
    const version = Number(row.version);
    if (row.last_request_id === request.requestId && version === request.version + 1)
      return detailOf(row, user);
    if (version !== request.version)
      throw new HttpError(
        409,
        'VERSION_CONFLICT',
        `Member ${id} was changed by ${row.updated_by ?? 'someone'} at ${row.updated_at} (now version ${version}, your change was made on ${request.version}); reload and make your change again.`,
      );
    if (row.tier === request.tier) return detailOf(row, user);
    const { phone, card, name } = row;
    await upsertMember(
      w,
      editorOf(user),
      { id, phone, card, name, tier: request.tier },
      now,
      request.requestId,
    );
    return detailOf(await rowById(w.trx, id), user);
  });
}

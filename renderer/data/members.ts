import type { Member, MemberLookupQuery } from '../../core/protocol/index';
import type { ApiClient } from './api-client';
import type { Connectivity } from './connectivity';
import type { TillpointDb } from './db';

/** Whom the cashier is looking for: the card scanned or the phone typed. */
export type MemberKey = { readonly card: string } | { readonly phone: string };

export type MemberFound =
  | { readonly kind: 'found'; readonly member: Member; readonly fromCache: boolean }
  | { readonly kind: 'not_found' }
  /** The server refused the look-up for another reason (too many, a bad answer): its words. */
  | { readonly kind: 'failed'; readonly message: string };

/** A member from the till's cache of the change feed. */
export async function cachedMember(db: TillpointDb, key: MemberKey): Promise<Member | undefined> {
  return 'card' in key
    ? db.members.where('card').equals(key.card).first()
    : db.members.where('phone').equals(key.phone).first();
}

/**
 * Finds a member: asks the server when it is reachable (a member registered a minute ago is
 * found before the feed brings them) and keeps the answer in the cache; offline, or when the
 * call does not get through, the cache answers.
 */
export async function findMember(
  db: TillpointDb,
  api: ApiClient,
  connectivity: Connectivity,
  key: MemberKey,
): Promise<MemberFound> {
  if (connectivity.online()) {
    const query = key as MemberLookupQuery;
    const found = await api.call('lookupMember', { query });
    if (found.ok) {
      connectivity.markOnline();
      const { member } = found.value;
      const held = await db.members.get(member.id);
      if (held === undefined || held.version <= member.version) await db.members.put(member);
      return { kind: 'found', member, fromCache: false };
    }
    if (found.code === 'NOT_FOUND') return { kind: 'not_found' };
    if (!found.offline) return { kind: 'failed', message: found.message };
    connectivity.markOffline(found.message);
  }
  const member = await cachedMember(db, key);
  return member ? { kind: 'found', member, fromCache: true } : { kind: 'not_found' };
}

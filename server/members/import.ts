import { parseMembersCsv } from '../../core/members/import-csv';
import type { ImportMembersCsvResponse } from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import { importAnswer } from '../catalog/import-answer';
import { editorOf } from '../catalog/stores';
import type { Storage } from '../db/storage';
import { memberIdOf, nextCards } from './admin';
import { upsertMember } from './members';

/**
 * The console's members import: every row is checked first and any bad row means nothing is
 * stored. A clean file is stored in one transaction: a phone that is a member's updates their
 * name and tier (a row that changes nothing is left alone), a new phone becomes a member with
 * the next free card; each as the single edit stores it (on the feed for the tills, audited).
 * Importing the same file again changes nothing.
 */
export async function importMembersCsv(
  storage: Storage,
  user: UserActor,
  csv: string,
  now: string,
): Promise<ImportMembersCsvResponse> {
  const parsed = parseMembersCsv(csv);
  if (parsed.errors.length > 0) return { ...importAnswer(0, parsed.errors), added: 0 };
  const editor = editorOf(user);
  const added = await storage.write(async (w) => {
    const phones = parsed.rows.map((r) => r.phone);
    const known = new Map<string, { id: string; card: string; name: string; tier: string }>();
    // Chunks keep the IN list under SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < phones.length; i += 500) {
      const rows = await w.trx
        .selectFrom('members')
        .select(['id', 'phone', 'card', 'name', 'tier'])
        .where('phone', 'in', phones.slice(i, i + 500))
        .execute();
      for (const r of rows) known.set(r.phone, r);
    }
    const fresh = parsed.rows.filter((r) => !known.has(r.phone));
    const cards = fresh.length > 0 ? await nextCards(w, fresh.length) : [];
    let next = 0;
    for (const r of parsed.rows) {
      const member = known.get(r.phone);
      if (member) {
        if (member.name === r.name && member.tier === r.tier) continue;
        await upsertMember(
          w,
          editor,
          { ...member, phone: r.phone, name: r.name, tier: r.tier },
          now,
        );
        continue;
      }
      const card = cards[next++] ?? '';
      await upsertMember(
        w,
        editor,
        { id: memberIdOf(card), phone: r.phone, card, name: r.name, tier: r.tier },
        now,
      );
    }
    return fresh.length;
  });
  return { ...importAnswer(parsed.rows.length, []), added };
}

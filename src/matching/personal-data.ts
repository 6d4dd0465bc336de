/**
 * What peer buddying holds about a person: their settings, who they asked not to be paired with,
 * the pairs they were in and whether they met, and newcomer buddies. Someone else's "please
 * don't pair me with you" is that person's private choice: it is never exported. When the person
 * it names is erased it stays, naming them only by a keyed hash, so they are not paired if they
 * come back (kept-rules.ts); a coordinator's forbid stays the same way. Erasing takes the person
 * out of every pair; whether a pair met still counts, under the shared former-member record.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { groupNames } from '../groups/personal-data.js';
import type { PersonalData } from '../privacy/declaration.js';
import { keepRulesAbout } from './kept-rules.js';

const {
  buddySettings,
  buddyAvoids,
  matchRules,
  matchKeptRules,
  matchRounds,
  matchGroups,
  matchFollowUps,
  buddyAssignments,
} = schema;
const iso = (d: Date | null) => d?.toISOString() ?? null;

const containsMember = (id: number) => sql`${matchGroups.memberIds} @> ${JSON.stringify([id])}::jsonb`;

async function namesOf(db: Db | Tx, ids: readonly number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await db
    .select({ id: schema.members.id, name: schema.members.displayName })
    .from(schema.members)
    .where(inArray(schema.members.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Keep a follow-up answer in the pair's "did they meet" count, naming nobody. */
async function anonymiseFollowUps(tx: Tx, memberId: number, formerMemberId: number): Promise<void> {
  const mine = await tx.select().from(matchFollowUps).where(eq(matchFollowUps.memberId, memberId));
  for (const answer of mine) {
    const [former] = await tx
      .select()
      .from(matchFollowUps)
      .where(
        and(
          eq(matchFollowUps.matchGroupId, answer.matchGroupId),
          eq(matchFollowUps.memberId, formerMemberId),
        ),
      );
    if (!former) {
      await tx
        .update(matchFollowUps)
        .set({ memberId: formerMemberId })
        .where(
          and(eq(matchFollowUps.matchGroupId, answer.matchGroupId), eq(matchFollowUps.memberId, memberId)),
        );
      continue;
    }
    if (answer.answer === 'met' && former.answer !== 'met')
      await tx
        .update(matchFollowUps)
        .set({ answer: 'met' })
        .where(
          and(
            eq(matchFollowUps.matchGroupId, answer.matchGroupId),
            eq(matchFollowUps.memberId, formerMemberId),
          ),
        );
    await tx
      .delete(matchFollowUps)
      .where(
        and(eq(matchFollowUps.matchGroupId, answer.matchGroupId), eq(matchFollowUps.memberId, memberId)),
      );
  }
}

export const matchingPersonalData: PersonalData = {
  refersToPerson: [
    'buddy_settings.member_id',
    'buddy_avoids.member_id',
    'buddy_avoids.avoid_member_id',
    'match_rules.member_a',
    'match_rules.member_b',
    'match_kept_rules.member_id',
    'match_groups.member_ids',
    'match_follow_ups.member_id',
    'buddy_assignments.newcomer_id',
    'buddy_assignments.buddy_id',
  ],
  notExported: {
    'buddy_avoids.avoid_member_id':
      "another member's private choice not to be paired with this person: shown to nobody",
  },
  async export({ db, member }) {
    const me = member.id;
    const settings = await db.select().from(buddySettings).where(eq(buddySettings.memberId, me));
    const avoids = await db.select().from(buddyAvoids).where(eq(buddyAvoids.memberId, me));
    const rules = await db
      .select()
      .from(matchRules)
      .where(or(eq(matchRules.memberA, me), eq(matchRules.memberB, me)));
    const pairs = await db
      .select({ pair: matchGroups, round: matchRounds })
      .from(matchGroups)
      .innerJoin(matchRounds, eq(matchRounds.id, matchGroups.roundId))
      .where(containsMember(me));
    const answers = await db.select().from(matchFollowUps).where(eq(matchFollowUps.memberId, me));
    const keptRules = await db.select().from(matchKeptRules).where(eq(matchKeptRules.memberId, me));
    const buddies = await db
      .select()
      .from(buddyAssignments)
      .where(or(eq(buddyAssignments.newcomerId, me), eq(buddyAssignments.buddyId, me)));
    const groupIds = [settings, avoids, rules, keptRules, buddies].flatMap((rows) =>
      rows.map((r) => r.groupId),
    );
    const names = await groupNames(db, [...groupIds, ...pairs.map((p) => p.round.groupId)]);
    const people = await namesOf(db, [
      ...avoids.map((a) => a.avoidMemberId),
      ...pairs.flatMap((p) => p.pair.memberIds),
      ...buddies.flatMap((b) => [b.newcomerId, b.buddyId]),
    ]);
    return [
      {
        table: 'buddy_settings',
        title: 'Your buddy settings',
        rows: settings.map((s) => ({
          group: names.get(s.groupId),
          takingPart: s.optedIn,
          pausedUntil: iso(s.pausedUntil),
          askedForABuddy: s.wantsBuddy,
          newcomersYouLookAfter: s.capacity ?? 2,
        })),
      },
      {
        table: 'buddy_avoids',
        title: 'People you asked not to be paired with',
        rows: avoids.map((a) => ({ group: names.get(a.groupId), person: people.get(a.avoidMemberId) })),
      },
      {
        table: 'match_rules',
        title: "Coordinators' pairing rules about you",
        rows: rules.map((r) => ({
          group: names.get(r.groupId),
          rule: r.kind === 'pin' ? 'always pair with another member' : 'never pair with another member',
        })),
      },
      {
        table: 'match_kept_rules',
        title: 'Pairing rules about people whose data was deleted',
        // Said only to someone who has such a rule: the summary shows every section's note.
        ...(keptRules.length > 0
          ? {
              note: 'copro keeps these pairing rules without the other person’s name, so that you are not paired if they come back.',
            }
          : {}),
        rows: keptRules.map((r) => ({
          group: names.get(r.groupId),
          rule:
            r.kind === 'avoid'
              ? 'you asked never to be paired with someone whose data was since deleted'
              : 'a coordinator said never to pair you with someone whose data is now deleted',
        })),
      },
      {
        table: 'match_groups',
        title: 'Your buddy pairs',
        rows: pairs.map(({ pair, round }) => ({
          group: names.get(round.groupId),
          round: round.number,
          paired: iso(round.ranAt),
          with: pair.memberIds.filter((id) => id !== me).map((id) => people.get(id) ?? 'a former member'),
          yourAnswer: answers.find((a) => a.matchGroupId === pair.id)?.answer ?? null,
        })),
      },
      {
        table: 'match_follow_ups',
        title: 'Your answers to "Did you get a chance to meet?"',
        rows: answers.map((a) => ({ answer: a.answer, answeredAt: iso(a.answeredAt) })),
      },
      {
        table: 'buddy_assignments',
        title: 'Newcomer buddies',
        rows: buddies.map((b) => ({
          group: names.get(b.groupId),
          newcomer: b.newcomerId === me ? 'you' : people.get(b.newcomerId),
          buddy: b.buddyId === me ? 'you' : people.get(b.buddyId),
          from: iso(b.assignedAt),
          until: iso(b.endedAt),
        })),
      },
    ];
  },
  async erase({ tx, member, formerMemberId, voterSecret }) {
    const me = member.id;
    await keepRulesAbout(tx, member, voterSecret);
    await tx.delete(buddySettings).where(eq(buddySettings.memberId, me));
    await tx.delete(buddyAvoids).where(or(eq(buddyAvoids.memberId, me), eq(buddyAvoids.avoidMemberId, me)));
    await tx.delete(matchRules).where(or(eq(matchRules.memberA, me), eq(matchRules.memberB, me)));
    await anonymiseFollowUps(tx, me, formerMemberId);
    await tx
      .update(matchGroups)
      .set({
        memberIds: sql`(select coalesce(jsonb_agg(e), '[]'::jsonb) from jsonb_array_elements(${matchGroups.memberIds}) e where e <> to_jsonb(${me}::int))`,
      })
      .where(containsMember(me));
    // A newcomer whose buddy is erased asks for a new one, as if theirs had never been found.
    const orphaned = await tx
      .delete(buddyAssignments)
      .where(or(eq(buddyAssignments.newcomerId, me), eq(buddyAssignments.buddyId, me)))
      .returning();
    for (const a of orphaned) {
      if (a.buddyId !== me || a.endedAt !== null) continue;
      await tx
        .update(buddySettings)
        .set({ wantsBuddy: true })
        .where(and(eq(buddySettings.groupId, a.groupId), eq(buddySettings.memberId, a.newcomerId)));
    }
  },
  forgetting: {
    goes: 'your buddy settings, who you asked not to be paired with, and the pairs you were in',
    stays:
      'whether your pairs met, which still counts towards how many pairs met. If someone asked not to be paired with you, that stays too. So if you come back, you will not be paired with them.',
  },
};

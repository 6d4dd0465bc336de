/**
 * The digest's sections: one function each, in the order they appear.
 *
 * Each section returns undefined when it has nothing to say, so a digest only shows what
 * happened. Sections read copro's own tables where they exist (members and roles). Polls,
 * meetings, buddy pairs and involvement are built by other features: their sections format what
 * a `DigestSources` hook returns, and show nothing until the feature supplies the hook.
 *
 * Extension point: a feature that owns one of these tables implements the matching hook (for
 * example `openPolls` in src/polls/) and main.ts / app.ts passes it to createDigestFeature and
 * digestJobHandlers. A wholly new section is a new SectionBuilder added to `digestSections`.
 */
import { and, eq, gt, isNull, lte, ne } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import { listOf } from '../groups/messages.js';
import type { GroupRow } from '../groups/types.js';
import { formatWhen } from './schedule.js';

export interface SectionContext {
  readonly db: Db | Tx;
  readonly group: GroupRow;
  /** The period covered: after `since`, up to and including `until` (so consecutive digests never overlap). */
  readonly since: Date;
  readonly until: Date;
  /** "this week", or "since Monday 2 November" when the digest covers more than a week. */
  readonly period: string;
  /** Timezone for the times shown: the group's, or the reader's own in a private preview. */
  readonly zone: string;
  readonly sources: DigestSources;
}

export interface DigestSection {
  readonly title: string;
  /** Short, plain sentences; each becomes a list item. */
  readonly lines: readonly string[];
}

export type SectionBuilder = (ctx: SectionContext) => Promise<DigestSection | undefined>;

/** What the polls feature tells the digest about a poll still open. */
export interface OpenPollSummary {
  readonly question: string;
  readonly closesAt?: Date;
  readonly voters: number;
  /** Members who can vote. */
  readonly eligible: number;
}

/** A poll that closed in the period. Hidden or anonymous polls give only what may be shown. */
export interface PollResultSummary {
  readonly question: string;
  /** The option(s) with most votes; several means a tie. Empty when nobody voted. */
  readonly leaders: readonly string[];
  readonly leaderVotes: number;
  readonly voters: number;
  /** A ranked poll: `leaders` holds the option that came top of the ranking. */
  readonly ranked?: boolean;
}

export interface MeetingSummary {
  readonly title: string;
  readonly startsAt: Date;
  readonly where?: string;
  readonly agendaItems: number;
}

export interface BuddyPairSummary {
  /** Display names of the people paired. */
  readonly names: readonly string[];
}

export interface InvolvementSummary {
  readonly hours: number;
  readonly people: number;
}

export interface SourceQuery {
  readonly db: Db | Tx;
  readonly groupId: number;
  readonly since: Date;
  readonly until: Date;
}

/** Hooks other features fill in. A missing hook means the section is left out. */
export interface DigestSources {
  /** Polls open at `until`. */
  openPolls?(q: SourceQuery): Promise<readonly OpenPollSummary[]>;
  /** Polls that closed after `since`, up to `until`. */
  pollResults?(q: SourceQuery): Promise<readonly PollResultSummary[]>;
  /** Meetings in the next two weeks after `until`. */
  upcomingMeetings?(q: SourceQuery): Promise<readonly MeetingSummary[]>;
  /** Buddy pairs made after `since`, up to `until`. */
  newBuddyPairs?(q: SourceQuery): Promise<readonly BuddyPairSummary[]>;
  /** Time logged after `since`, up to `until`. */
  involvement?(q: SourceQuery): Promise<InvolvementSummary | undefined>;
}

const query = (ctx: SectionContext): SourceQuery => ({
  db: ctx.db,
  groupId: ctx.group.id,
  since: ctx.since,
  until: ctx.until,
});

const quoted = (s: string) => `“${s}”`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** People who joined, and roles given or taken away, in the period. */
export const newMembersAndRoles: SectionBuilder = async (ctx) => {
  const { db, group, since, until } = ctx;
  const { groupMembers, members, roleAssignments, roles } = schema;
  const joined = await db
    .select({ name: members.displayName })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(
      and(
        eq(groupMembers.groupId, group.id),
        isNull(groupMembers.leftAt),
        gt(groupMembers.joinedAt, since),
        lte(groupMembers.joinedAt, until),
      ),
    )
    .orderBy(groupMembers.joinedAt, members.id);
  const roleRows = await db
    .select({
      name: members.displayName,
      role: roles.name,
      roleKey: roleAssignments.roleKey,
      assignedAt: roleAssignments.assignedAt,
      removedAt: roleAssignments.removedAt,
    })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .leftJoin(roles, and(eq(roles.groupId, roleAssignments.groupId), eq(roles.key, roleAssignments.roleKey)))
    .where(and(eq(roleAssignments.groupId, group.id), ne(roleAssignments.roleKey, 'member')))
    .orderBy(roleAssignments.id);
  const within = (d: Date | null) => d !== null && d > since && d <= until;
  const lines: string[] = [];
  if (joined.length > 0) {
    const names = joined.map((j) => j.name);
    if (names.length > MAX_NAMES)
      names.splice(MAX_NAMES - 1, names.length, `${names.length - MAX_NAMES + 1} others`);
    lines.push(`Welcome to ${listOf(names)}, who joined ${ctx.period}.`);
  }
  for (const r of roleRows) {
    const role = r.role ?? r.roleKey.replace(/-/g, ' ');
    const given = within(r.assignedAt);
    const taken = within(r.removedAt);
    if (given && taken) continue; // given and taken back within the week: nothing to report
    if (given) lines.push(`${r.name} is now ${article(role)} ${role}.`);
    else if (taken) lines.push(`${r.name} is no longer ${article(role)} ${role}.`);
  }
  return lines.length > 0 ? { title: 'New members and roles', lines } : undefined;
};

/** Longer lists of newcomers end "… and 12 others". */
const MAX_NAMES = 10;

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** Polls still open, with their deadlines and how many have voted. */
export const openPolls: SectionBuilder = async (ctx) => {
  const polls = (await ctx.sources.openPolls?.(query(ctx))) ?? [];
  if (polls.length === 0) return undefined;
  return {
    title: 'Open polls',
    lines: polls.map((p) => {
      const closes = p.closesAt ? ` closes ${formatWhen(p.closesAt, ctx.zone)}.` : ' is open.';
      return `${quoted(p.question)}${closes} ${p.voters} of ${p.eligible} members ${p.voters === 1 ? 'has' : 'have'} voted.`;
    }),
  };
};

/** Results of polls that closed in the period. */
export const pollResults: SectionBuilder = async (ctx) => {
  const polls = (await ctx.sources.pollResults?.(query(ctx))) ?? [];
  if (polls.length === 0) return undefined;
  return {
    title: 'Poll results',
    lines: polls.map((p) => {
      if (p.voters === 0 || p.leaders.length === 0) return `${quoted(p.question)} closed with no votes.`;
      if (p.ranked)
        return `${quoted(p.question)}: ${quoted(p.leaders[0]!)} came top of the ranking, from ${plural(p.voters, 'voter')}.`;
      const votes = plural(p.leaderVotes, 'vote');
      if (p.leaders.length > 1) {
        return `${quoted(p.question)}: ${listOf(p.leaders.map(quoted))} tied, with ${votes} each, from ${plural(p.voters, 'voter')}.`;
      }
      return `${quoted(p.question)}: ${quoted(p.leaders[0]!)} had the most votes (${p.leaderVotes} of ${p.voters}).`;
    }),
  };
};

/** Meetings coming up, with how much is on the agenda. */
export const upcomingMeetings: SectionBuilder = async (ctx) => {
  const meetings = (await ctx.sources.upcomingMeetings?.(query(ctx))) ?? [];
  if (meetings.length === 0) return undefined;
  return {
    title: 'Coming up',
    lines: meetings.map((m) => {
      const where = m.where ? `, ${m.where}` : '';
      const agenda =
        m.agendaItems > 0
          ? ` ${plural(m.agendaItems, 'item')} on the agenda.`
          : ' Nothing on the agenda yet.';
      return `${m.title}: ${formatWhen(m.startsAt, ctx.zone)}${where}.${agenda}`;
    }),
  };
};

/** New buddy pairs. */
export const buddyPairs: SectionBuilder = async (ctx) => {
  const pairs = (await ctx.sources.newBuddyPairs?.(query(ctx))) ?? [];
  if (pairs.length === 0) return undefined;
  return { title: 'Buddy pairs', lines: pairs.map((p) => `${listOf([...p.names])} are now buddies.`) };
};

/** Time members gave to the group's work, with thanks. */
export const involvement: SectionBuilder = async (ctx) => {
  const summary = await ctx.sources.involvement?.(query(ctx));
  if (!summary || summary.hours <= 0) return undefined;
  const hours = Number.isInteger(summary.hours) ? summary.hours : Number(summary.hours.toFixed(1));
  return {
    title: 'Involvement',
    lines: [
      `${plural(summary.people, 'person', 'people')} logged ${plural(hours, 'hour')} ${ctx.period}. Thank you.`,
    ],
  };
};

/** In order of appearance. */
export const digestSections: readonly SectionBuilder[] = [
  newMembersAndRoles,
  openPolls,
  pollResults,
  upcomingMeetings,
  buddyPairs,
  involvement,
];

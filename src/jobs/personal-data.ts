/**
 * What the outbox and the job table hold about a person, whichever feature wrote the rows:
 * messages sent (or waiting to be sent) to them, messages that mention them, and planned work
 * whose payload names them. Features erase their own jobs and messages first (they know what
 * their payloads mean); this catches the rest by the person's platform id.
 */
import { and, eq, like, or, type SQL, sql } from 'drizzle-orm';
import type { MemberRow } from '../../db/client.js';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { PersonalData } from '../privacy/declaration.js';

const { outbox, jobs } = schema;

/** LIKE matches the text exactly: no wildcards from a platform id. */
const literalLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The mention copro writes for a person (src/text.ts): "<@U123>". */
const mentionOf = (member: MemberRow) => `<@${member.userId}>`;

/** Messages addressed to the person: a direct message, or a group direct message with them in it. */
function addressedTo(member: MemberRow): SQL {
  return and(
    eq(outbox.platform, member.platform),
    or(
      sql`${outbox.destination}->>'userId' = ${member.userId}`,
      sql`${outbox.destination}->'userIds' ? ${member.userId}`,
    ),
  )!;
}

function mentioning(member: MemberRow): SQL {
  return and(
    eq(outbox.platform, member.platform),
    like(sql`${outbox.message}::text`, `%${literalLike(mentionOf(member))}%`),
  )!;
}

/** Planned work whose payload names the person by member id or platform id. */
function jobsNaming(member: MemberRow): SQL {
  return or(
    sql`${jobs.payload} @> ${JSON.stringify({ memberId: member.id })}::jsonb`,
    sql`${jobs.payload} @> ${JSON.stringify({ userId: member.userId, workspaceId: member.workspaceId })}::jsonb`,
  )!;
}

async function messagesAbout(db: Db | Tx, member: MemberRow) {
  return db
    .select()
    .from(outbox)
    .where(or(addressedTo(member), mentioning(member)));
}

export const outboxPersonalData: PersonalData = {
  refersToPerson: [
    'outbox.recipient',
    'outbox.destination',
    'outbox.message',
    'jobs.payload',
    'inbox.payload',
  ],
  holdsNoPerson: ['outbox.message_ref'],
  notExported: {
    'inbox.payload':
      'messages from Slack or Discord, kept for a few seconds until copro deals with them, then deleted',
  },
  async export({ db, member }) {
    const messages = await messagesAbout(db, member);
    const planned = await db.select().from(jobs).where(jobsNaming(member));
    return [
      {
        table: 'outbox',
        title: 'Messages copro sent you or that mention you (kept for 90 days)',
        rows: messages.map((m) => ({
          to: m.destination.kind === 'channel' ? 'the group channel' : 'you',
          text: m.message.text,
          status: m.status,
          queued: m.createdAt.toISOString(),
          sent: m.sentAt?.toISOString() ?? null,
        })),
      },
      {
        table: 'jobs',
        title: 'Work copro has planned that concerns you',
        rows: planned.map((j) => ({ what: j.kind, when: j.runAt.toISOString(), status: j.status })),
      },
    ];
  },
  async erase({ tx, member }) {
    await tx.delete(outbox).where(addressedTo(member));
    // Channel posts that mention them (a digest, say) keep their place but no longer name them.
    await tx
      .update(outbox)
      .set({
        message: sql`replace(${outbox.message}::text, ${JSON.stringify(mentionOf(member)).slice(1, -1)}, 'a former member')::jsonb`,
      })
      .where(mentioning(member));
    await tx.delete(jobs).where(jobsNaming(member));
  },
  forgetting: {
    goes: 'messages copro sent you, and reminders or other work planned for you',
    stays: 'messages in the group channel stay, with your name taken out where copro wrote it',
  },
};

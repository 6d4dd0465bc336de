/** What coordinators see: who is at which step, and an anonymous summary of access needs. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { schema } from '../../db/client.js';
import { literal, type Message, withoutBold } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { coordinatorsOf } from '../groups/roles.js';
import { mention, plural } from '../text.js';
import { selfRolesOf, shapeOf } from './flow.js';
import { currentStep, position, STEP_NAMES } from './journey.js';
import { sharedNeeds, summaryLines } from './needs-summary.js';
import { packOf } from './pack.js';
import { describeNeeds, openAccessNeeds } from './sensitive.js';
import { stepOf } from './store.js';

const { onboardingJourneys: journeys, groupMembers, members } = schema;

/** Why a group without an encryption key has no access needs, and what to do about it. */
const NO_KEY =
  'Newcomers are not asked about access needs. copro only keeps them locked with a secret key, and no key is set up. ' +
  'Whoever runs copro can make one: the setting COPRO_ENCRYPTION_KEY (the Start section of copro’s README shows how).';

const textOf = (heading: string, lines: readonly string[]): Message => ({
  text: withoutBold([heading, ...lines].join('\n')),
  blocks: [
    { type: 'heading', text: heading },
    { type: 'text', text: lines.join('\n') },
  ],
});

async function status(ctx: ContextOf<'onboarding.status'>): Promise<Reply> {
  const { group } = ctx;
  const { db, encryptionKey } = ctx.deps;
  const zone = ctx.member.timezone ?? group.timezone;
  const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('ccc d LLL');
  const shape = shapeOf(await packOf(db, group.id), await selfRolesOf(db, group.id), encryptionKey);
  const rows = await db
    .select({ journey: journeys, member: members })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .leftJoin(
      journeys,
      and(eq(journeys.groupId, groupMembers.groupId), eq(journeys.memberId, groupMembers.memberId)),
    )
    .where(and(eq(groupMembers.groupId, group.id), isNull(groupMembers.leftAt)))
    .orderBy(asc(members.displayName));
  const going: string[] = [];
  const done: string[] = [];
  const notStarted: string[] = [];
  // Coordinators run the group: they are not newcomers waiting for a welcome.
  const coordinators = new Set((await coordinatorsOf(db, group.id)).map((c) => c.id));
  for (const { journey, member } of rows) {
    if (!journey) {
      if (!coordinators.has(member.id)) notStarted.push(mention(member));
      continue;
    }
    if (journey.finishedAt) {
      done.push(`- ${mention(member)}, on ${day(journey.finishedAt)}`);
      continue;
    }
    const step = currentStep(stepOf(journey), shape);
    const { number, of } = position(step, shape);
    const where = `step ${number} of ${of} (${STEP_NAMES[step]})`;
    going.push(
      journey.pausedAt
        ? `- ${mention(member)}: chose "Not now" at ${where} on ${day(journey.pausedAt)}`
        : `- ${mention(member)}: at ${where} since ${day(journey.stepAt)}${journey.remindedAt ? ', reminded once' : ''}`,
    );
  }
  const lines = [
    `**In progress (${going.length})**`,
    ...(going.length > 0 ? going : ['- Nobody right now.']),
    `**Finished (${done.length})**`,
    ...(done.length > 0 ? done : ['- Nobody yet.']),
    ...(notStarted.length > 0 ? [`**Not started (${notStarted.length})**: ${notStarted.join(', ')}`] : []),
  ];
  if (!encryptionKey) lines.push(NO_KEY);
  return { message: textOf(`Onboarding in ${literal(group.name)}`, lines) };
}

async function needs(ctx: ContextOf<'onboarding.needs'>): Promise<Reply> {
  const { group } = ctx;
  const { db, encryptionKey: key } = ctx.deps;
  const heading = `Access needs in ${literal(group.name)}`;
  if (!key) {
    return {
      message: textOf(heading, [NO_KEY]),
    };
  }
  const rows = await sharedNeeds(db, group.id);
  const counts = new Map<string, number>();
  let own = 0;
  let unreadable = 0;
  let shared = 0;
  const named: string[] = [];
  for (const { profile, member } of rows) {
    const opened = openAccessNeeds(key, group.id, member.id, profile.accessNeedsSealed);
    if (!opened) {
      unreadable++;
      continue;
    }
    shared++;
    for (const c of opened.choices) counts.set(c, (counts.get(c) ?? 0) + 1);
    if (opened.other) own++;
    // The member's own words are shown as typed: never a mention, a link or formatting.
    if (profile.accessNeedsNamed) named.push(`- ${mention(member)}: ${literal(describeNeeds(opened))}`);
  }
  if (shared === 0 && unreadable === 0)
    return {
      message: textOf(heading, [
        'Nobody has shared access needs yet. Newcomers are asked during onboarding.',
      ]),
    };
  const lines = [
    `From ${plural(shared, 'member')} who shared them. Names appear only for members who allowed it.`,
  ];
  lines.push(...summaryLines({ shared, counts, ownWords: own }).map((line) => `- ${line}`));
  if (unreadable > 0)
    lines.push(
      `- ${plural(unreadable, 'answer')} could not be read: they were stored with a different encryption key.`,
    );
  lines.push(
    named.length > 0 ? '**By name (members who allowed it)**' : 'Nobody has allowed their name to be shown.',
    ...named,
  );
  return { message: textOf(heading, lines) };
}

export const coordinatorCommands = { 'onboarding.status': status, 'onboarding.needs': needs } as const;

import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { type Block, literal, withoutBold } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { echo } from '../commands/values.js';
import { UserError } from '../errors.js';
import { audit } from '../groups/audit.js';
import { coordinatorsOf } from '../groups/roles.js';
import { listOf, mention } from '../text.js';
import { formatWhen, isNoLength, parseWhen } from '../time.js';
import { closeAndAnnounce } from './close.js';
import { voteControls } from './render.js';
import { createPoll, DAY_MS, findPoll } from './store.js';
import type { PollMode } from './tally.js';
import { NO_SECRET_TEXT } from './voter-key.js';
import { openPollsFor } from './votes.js';

const MAX_QUESTION = 300;
/** Where the group's platform is not connected (a script, a test), answers keep to this. */
const DEFAULT_MAX_OPTION = 75;
const MAX_OPEN_DAYS = 365;

async function newPoll(ctx: ContextOf<'poll.new'>): Promise<Reply> {
  const { group } = ctx;
  const { args, deps } = ctx;
  const [settings] = await deps.db
    .select()
    .from(schema.pollSettings)
    .where(eq(schema.pollSettings.groupId, group.id));
  if (settings?.coordinatorsOnly && !ctx.isCoordinator) {
    const who = listOf((await coordinatorsOf(deps.db, group.id)).map(mention));
    throw new UserError(
      'coordinators_only',
      `In this group only coordinators start polls. Ask ${who} to start this one.`,
    );
  }
  const question = args.question.trim();
  const options = args.options.map((o) => o.trim());
  // "/copro poll P7K2 close" is a close in the wrong order: posting "P7K2" as a public poll
  // with "close" as an answer would surprise everyone in the channel.
  const [first] = options;
  if (/^P[A-Z0-9]{3,8}$/i.test(question) && first !== undefined && /^(close[sd]?|end|stop)$/i.test(first)) {
    throw new UserError(
      'words_in_wrong_order',
      `Did you mean /copro poll close ${question.toUpperCase()}? Nothing was posted. To start a new poll, put the question and its answers in "quotes".`,
    );
  }
  if (question.length > MAX_QUESTION) {
    throw new UserError('too_long', `Please keep the question under ${MAX_QUESTION} characters.`);
  }
  // Answers are buttons: each must fit the group's platform's button label whole.
  const maxOption = deps.platforms[group.platform]?.limits.buttonLabel ?? DEFAULT_MAX_OPTION;
  const long = options.find((o) => o.length > maxOption);
  if (long)
    throw new UserError(
      'too_long',
      `Each answer is a button, which holds ${maxOption} characters at most here: "${long.slice(0, 30)}…" is longer. Please make it shorter.`,
    );
  const seen = new Set<string>();
  for (const option of options) {
    if (seen.has(option.toLowerCase()))
      throw new UserError('duplicate_option', `"${option}" is listed twice. Each answer can appear once.`);
    seen.add(option.toLowerCase());
  }
  if (args.multi && args.ranked) {
    throw new UserError(
      'bad_flags',
      'A poll can be --multi (pick several) or --ranked (put in order), not both.',
    );
  }
  if (args.anonymous && !deps.voterSecret) {
    throw new UserError(
      'no_voter_secret',
      `${NO_SECRET_TEXT} Until then, you can start the poll without --anonymous.`,
    );
  }
  const mode: PollMode = args.ranked ? 'ranked' : args.multi ? 'multi' : 'single';
  const now = deps.clock.now();
  let closesAt: Date | undefined;
  if (args.closes !== undefined) {
    closesAt = parseWhen(args.closes, now, group.timezone);
    if (!closesAt) {
      throw new UserError(
        'bad_time',
        isNoLength(args.closes)
          ? `A poll must stay open for some time, and "${echo(args.closes)}" is none. Try 3d for three days, or 2w for two weeks.`
          : `copro could not read "${echo(args.closes)}" as a time. Try 3d, 2w, "friday 5pm" or "27 Nov 17:00".`,
      );
    }
    if (closesAt <= now)
      throw new UserError('bad_time', 'That time has already passed. Please choose a time in the future.');
    if (closesAt.getTime() - now.getTime() > MAX_OPEN_DAYS * DAY_MS) {
      throw new UserError('bad_time', 'A poll can stay open for a year at most.');
    }
  }
  const poll = await createPoll(deps.db, {
    group,
    creator: ctx.member,
    question,
    options,
    mode,
    anonymous: Boolean(args.anonymous),
    hideResults: Boolean(args['hide-results']),
    // Always the home channel: its people are the group, so they are the ones who can see and vote.
    channelId: group.homeChannelId,
    closesAt,
    now,
  });
  await deps.outbox?.flush();
  const closes = closesAt
    ? `It closes ${formatWhen(closesAt, group.timezone)} (${group.timezone}).`
    : 'It stays open until you close it.';
  // "Sooner" only makes sense when it would close by itself.
  const closeIt = closesAt ? 'To close it sooner' : 'To close it';
  return privately(
    `Your poll ${poll.code} is posted in <#${poll.channelId}>. ${closes}\n${closeIt}: /copro poll close ${poll.code}`,
  );
}

async function closePoll(ctx: ContextOf<'poll.close'>): Promise<Reply> {
  const { group } = ctx;
  const poll = await findPoll(ctx.deps.db, group, ctx.args.poll);
  if (poll.createdBy !== ctx.member.id && !ctx.isCoordinator) {
    throw new UserError(
      'not_yours',
      `Only the person who started poll ${poll.code}, or a coordinator, can close it.`,
    );
  }
  if (poll.status === 'closed') return privately(`Poll ${poll.code} is already closed. Nothing changed.`);
  const closed = await ctx.deps.db.transaction((tx) =>
    closeAndAnnounce(tx, group, poll, ctx.deps.clock.now(), ctx.member, ctx.deps.voterSecret),
  );
  await ctx.deps.outbox?.flush();
  return privately(
    closed
      ? `Poll ${poll.code} is closed. The results are posted in <#${poll.channelId}>.`
      : `Poll ${poll.code} is already closed.`,
  );
}

async function listPolls(ctx: ContextOf<'polls'>): Promise<Reply> {
  const { group } = ctx;
  const open = await openPollsFor(ctx.deps.db, group.id, ctx.member.id, ctx.deps.voterSecret);
  if (open.length === 0)
    return privately('There are no open polls right now. Start one with /copro poll "Question?" "Yes" "No".');
  const timezone = ctx.member.timezone ?? group.timezone;
  const lines: string[] = [];
  // Each poll comes with its buttons, so a vote can be cast (or changed) from this list too.
  const blocks: Block[] = [{ type: 'text', text: `Open polls in ${group.name}:` }];
  for (const { poll, mine } of open) {
    const status = mine
      ? `you voted: ${mine.map((i) => literal(poll.options[i] ?? '?')).join(poll.mode === 'ranked' ? ' > ' : ', ')}`
      : 'you have not voted yet';
    const closes = poll.closesAt ? `closes ${formatWhen(poll.closesAt, timezone)}` : 'no closing time';
    const line = `- **${poll.code}**: ${literal(poll.question)} (${status}; ${closes})`;
    lines.push(line);
    blocks.push({ type: 'text', text: line }, ...voteControls(poll, true));
  }
  const text = `Open polls in ${literal(group.name)}:\n${lines.join('\n')}`;
  return { message: { text: withoutBold(text), blocks } };
}

async function starters(ctx: ContextOf<'poll.starters'>): Promise<Reply> {
  const { group } = ctx;
  const coordinatorsOnly = ctx.args.who === 'coordinators';
  await ctx.deps.db.transaction(async (tx) => {
    await tx
      .insert(schema.pollSettings)
      .values({ groupId: group.id, coordinatorsOnly })
      .onConflictDoUpdate({ target: schema.pollSettings.groupId, set: { coordinatorsOnly } });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'poll.starters',
      details: { who: ctx.args.who },
      at: ctx.deps.clock.now(),
    });
  });
  return privately(
    coordinatorsOnly
      ? 'From now on only coordinators can start polls.'
      : 'From now on any member can start a poll.',
  );
}

export const pollCommands = {
  'poll.new': newPoll,
  'poll.close': closePoll,
  polls: listPolls,
  'poll.starters': starters,
} as const;

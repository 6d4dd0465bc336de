import { and, eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { type Form, literal, textMessage, textWithButtons } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { ActionContext, FormContext } from '../features.js';
import type { GroupRow } from '../groups/types.js';
import { groupForClick, optionIndex, pollForClick, pollForForm, pollForListedClick } from './access.js';
import { redrawOnceCommitted } from './refresh.js';
import type { PollRow } from './store.js';
import { castVote, myVote, type VoteInput } from './votes.js';

/** Ranked ballots rank the top few: Discord forms hold five fields, and five is a kind limit anyway. */
export const RANK_PLACES = 5;
const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th'];

/** What the voter is told privately: what they have chosen now. */
export function describeChoice(poll: PollRow, choices: readonly number[]): string {
  const labels = choices.map((i) => literal(poll.options[i] ?? '?'));
  const question = literal(poll.question);
  if (choices.length === 0)
    return 'You have taken back your answer, so you have no answer chosen now. You can choose again until the poll closes.';
  if (poll.mode === 'ranked') {
    return `Thank you. Your priorities for "${question}": ${labels.map((l, i) => `${i + 1}. ${l}`).join(', ')}. You can change them until the poll closes.`;
  }
  if (poll.mode === 'multi') {
    return `Thank you. Your answers to "${question}": ${labels.join(', ')}. Choose an answer again to take it back.`;
  }
  return `Thank you. You voted "${labels[0]}" on "${question}". You can change your vote until the poll closes.`;
}

/** Count a click or a ranking, and tell the voter privately what they have chosen now. */
async function record(
  ctx: ActionContext | FormContext,
  found: { poll: PollRow; group: GroupRow },
  vote: VoteInput,
): Promise<void> {
  const { poll, group } = found;
  const now = ctx.deps.clock.now();
  const result = await castVote(ctx.deps.db, {
    group,
    pollId: poll.id,
    anonymous: poll.anonymous,
    member: ctx.member,
    vote,
    now,
    secret: ctx.deps.voterSecret,
  });
  await ctx.event.reply(textMessage(describeChoice(poll, result.choices)), { private: true });
  // Even when already out of date: see countTogether (vote-batch.ts).
  await redrawOnceCommitted(ctx.deps, poll.id);
}

type FindPoll = typeof pollForClick;

const vote =
  (find: FindPoll) =>
  async (ctx: ActionContext): Promise<void> => {
    const [, code = '', raw] = /^([^:]*):([^:]*)$/.exec(ctx.event.value) ?? [];
    const found = await find(ctx, code);
    const option = optionIndex(raw, found.poll.options.length);
    if (option === undefined)
      throw new UserError('unknown_option', 'That answer is not part of this poll. Nothing was recorded.');
    await record(ctx, found, { kind: 'pick', option });
  };

const openRanking =
  (find: FindPoll) =>
  async (ctx: ActionContext): Promise<void> => {
    const { poll } = await find(ctx, ctx.event.value);
    if (poll.mode !== 'ranked')
      throw new UserError(
        'not_ranked',
        `Poll ${poll.code} is not ranked: choose an answer with its buttons.`,
      );
    if (poll.status !== 'open')
      throw new UserError(
        'poll_closed',
        `Poll ${poll.code} has closed, so rankings can no longer be changed.`,
      );
    const current = (await myVote(ctx.deps.db, poll, ctx.member.id, ctx.deps.voterSecret)) ?? [];
    const places = Math.min(RANK_PLACES, poll.options.length);
    const options = poll.options.map((label, i) => ({ label, value: String(i) }));
    const form: Form = {
      id: 'poll.rank',
      // Slack caps form titles at 24 characters: the question goes in the first field's hint.
      title: 'Rank the options',
      submitLabel: 'Save my ranking',
      state: poll.code,
      fields: Array.from({ length: places }, (_, place) => {
        const chosen = current[place];
        return {
          kind: 'select' as const,
          id: `rank${place + 1}`,
          label: `Your ${ORDINALS[place]} priority`,
          required: place === 0,
          hint: place === 0 ? `"${poll.question}": pick the option that matters most to you.` : undefined,
          options,
          initial: chosen === undefined ? undefined : [String(chosen)],
        };
      }),
    };
    await ctx.event.openForm(form);
  };

async function submitRanking(ctx: FormContext): Promise<Readonly<Record<string, string>> | undefined> {
  const { poll, group } = await pollForForm(ctx, ctx.event.state ?? '');
  if (poll.mode !== 'ranked')
    throw new UserError('not_ranked', `Poll ${poll.code} is not ranked. Nothing was recorded.`);
  const ranking: number[] = [];
  const errors: Record<string, string> = {};
  let gap = false;
  for (let place = 1; place <= Math.min(RANK_PLACES, poll.options.length); place++) {
    const raw = ctx.event.values[`rank${place}`];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === '') {
      gap = true;
      continue;
    }
    const option = optionIndex(value, poll.options.length);
    if (option === undefined) {
      errors[`rank${place}`] = 'Please pick one of the options.';
    } else if (ranking.includes(option)) {
      errors[`rank${place}`] =
        `You already chose "${poll.options[option]}" higher up. Pick a different option, or leave this one empty.`;
    } else if (gap) {
      errors[`rank${place}`] = 'Please fill the places in order, starting with your 1st priority.';
    } else {
      ranking.push(option);
    }
  }
  if (ranking.length === 0 && Object.keys(errors).length === 0)
    errors.rank1 = 'Please choose at least your 1st priority.';
  if (Object.keys(errors).length > 0) return errors;
  await record(ctx, { poll, group }, { kind: 'rank', ranking });
  return undefined;
}

async function remindersOff(ctx: ActionContext): Promise<void> {
  const groupId = (await groupForClick(ctx, ctx.event.value)).id;
  await ctx.deps.db
    .insert(schema.pollReminderOptOuts)
    .values({ groupId, memberId: ctx.member.id })
    .onConflictDoNothing();
  await ctx.event.reply(
    textWithButtons(
      'Done: you will not get poll reminders from this group any more. Polls still appear in the channel and the weekly digest.',
      [{ actionId: 'poll.reminders-on', label: 'Turn poll reminders back on', value: String(groupId) }],
    ),
    { private: true },
  );
}

async function remindersOn(ctx: ActionContext): Promise<void> {
  const groupId = (await groupForClick(ctx, ctx.event.value)).id;
  await ctx.deps.db
    .delete(schema.pollReminderOptOuts)
    .where(
      and(
        eq(schema.pollReminderOptOuts.groupId, groupId),
        eq(schema.pollReminderOptOuts.memberId, ctx.member.id),
      ),
    );
  await ctx.event.reply(textMessage('Done: poll reminders are back on.'), { private: true });
}

export const pollActions = {
  'poll.vote': vote(pollForClick),
  'poll.rank': openRanking(pollForClick),
  // The same buttons on a list copro showed one member privately (/copro polls).
  'poll.vote-listed': vote(pollForListedClick),
  'poll.rank-listed': openRanking(pollForListedClick),
  'poll.reminders-off': remindersOff,
  'poll.reminders-on': remindersOn,
} as const;

export const pollForms = { 'poll.rank': submitRanking } as const;

import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal, type Message } from '../chat/index.js';
import type { FeatureDeps } from '../deps.js';
import { defineFeature, type FeatureJobContext } from '../features.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { pollActions, pollForms } from './actions.js';
import { closeAndAnnounce, groupOfPoll } from './close.js';
import { pollCommands } from './commands.js';
import { openPolls, pollResults } from './digest.js';
import { pollsPersonalData } from './personal-data.js';
import { refreshStalePolls } from './refresh.js';
import { remindNonVoters } from './reminders.js';
import { pollVoteBatch } from './vote-batch.js';
import { openPollsFor } from './votes.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'poll.close': { readonly pollId: number };
    'poll.remind': { readonly pollId: number };
  }
}

async function pollFromJob(ctx: FeatureJobContext<'poll.close' | 'poll.remind'>) {
  const [poll] = await ctx.tx.select().from(schema.polls).where(eq(schema.polls.id, ctx.payload.pollId));
  const group = poll ? await groupOfPoll(ctx.tx, poll) : undefined;
  return poll && group ? { poll, group } : undefined;
}

async function homeSection(
  deps: FeatureDeps,
  group: GroupRow,
  member: MemberRow,
): Promise<Message | undefined> {
  const open = await openPollsFor(deps.db, group.id, member.id, deps.voterSecret);
  if (open.length === 0) return undefined;
  const waiting = open.filter((o) => !o.mine).map(({ poll }) => `${poll.code} "${literal(poll.question)}"`);
  const text =
    `${open.length} open ${open.length === 1 ? 'poll' : 'polls'}.` +
    (waiting.length > 0
      ? ` Waiting for your vote: ${waiting.join(', ')}.`
      : ' You have voted on all of them.');
  return { text, blocks: [{ type: 'text', text }] };
}

/** Quick polls: single, multiple, ranked and anonymous, with deadlines and live results. */
export const pollsFeature = defineFeature({
  name: 'polls',
  commands: pollCommands,
  actions: pollActions,
  actionBatches: { 'poll.vote': pollVoteBatch },
  forms: pollForms,
  jobs: {
    'poll.close': {
      // A poll past its deadline still gets closed and its result posted, however late.
      policy: 'run-once',
      async run(ctx) {
        const found = await pollFromJob(ctx);
        if (found && found.poll.status === 'open')
          await closeAndAnnounce(ctx.tx, found.group, found.poll, ctx.now, undefined, ctx.deps.voterSecret);
      },
      describe: () => 'close a poll at its deadline and post the results',
    },
    'poll.remind': {
      // No "please vote" once the poll has closed (its expires_at is the poll's close).
      policy: 'drop-if-past',
      async run(ctx) {
        const found = await pollFromJob(ctx);
        if (found?.poll.status !== 'open') return;
        const queued = await remindNonVoters(ctx.tx, found.group, found.poll, ctx.now, ctx.deps.voterSecret);
        ctx.logger.info({ pollId: found.poll.id, queued }, 'poll reminders queued');
      },
      describe: () => 'remind members who have not voted that a poll closes soon',
    },
  },
  sweeps: [refreshStalePolls],
  homeSection,
  digestSections: [openPolls, pollResults],
  personalData: pollsPersonalData,
});

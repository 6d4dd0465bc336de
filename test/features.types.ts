/**
 * Checked by `npm run typecheck`, not run: mistakes in a feature's declaration are type errors.
 * Each `@ts-expect-error` fails the typecheck if the mistake below it stops being one.
 */
import { textMessage } from '../src/chat/index.js';
import { defineFeature } from '../src/features.js';
import { scheduleJob } from '../src/jobs/index.js';

const answer = async () => ({ message: textMessage('ok') });

export const misspelt = defineFeature({
  name: 'misspelt',
  commands: {
    // @ts-expect-error "pol.new" is not a command in the catalogue
    'pol.new': answer,
  },
});

export const typedArguments = defineFeature({
  name: 'typed arguments',
  commands: {
    async 'poll.new'(ctx) {
      const question: string = ctx.args.question; // required, so always there
      const answers: readonly string[] = ctx.args.options;
      // @ts-expect-error --closes is optional, so it may be missing
      const closes: string = ctx.args.closes;
      // @ts-expect-error poll.new has no option called "title"
      void ctx.args.title;
      const group: string = ctx.group.name; // poll.new needs a group, so the router always gives one
      void [question, answers, closes, group];
      return answer();
    },
  },
});

export const typedJobs = defineFeature({
  name: 'typed jobs',
  jobs: {
    'poll.close': {
      policy: 'run-once',
      async run(ctx) {
        const id: number = ctx.payload.pollId;
        // @ts-expect-error a poll.close payload has no groupId
        void ctx.payload.groupId;
        void id;
      },
    },
    // @ts-expect-error every job declares its catch-up policy
    'poll.remind': { async run() {} },
  },
});

export async function schedulingNeedsThePayload(db: Parameters<typeof scheduleJob>[0]) {
  // @ts-expect-error a digest.send job needs its groupId
  await scheduleJob(db, { kind: 'digest.send', key: 'k', runAt: new Date() });
  await scheduleJob(db, { kind: 'digest.send', key: 'k', runAt: new Date(), payload: { groupId: 1 } });
}

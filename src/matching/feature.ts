import { defineFeature } from '../features.js';
import { assignWaitingEverywhere } from './buddy-run.js';
import { matchingDigestSection } from './digest.js';
import { answerFollowUp, askWhetherTheyMet, FOLLOW_UP_ACTION } from './follow-up.js';
import { memberCommands } from './member-commands.js';
import { matchingPersonalData } from './personal-data.js';
import { roundCommands } from './round-commands.js';
import { ensureRoundsScheduled, ROUND_JOB, roundJob } from './schedule.js';
import { schedule } from './schedule-command.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'match.follow-up': { readonly roundId: number };
  }
}

/** Peer buddies: members' settings, coordinators' rounds, introductions and the follow-up. */
export const matchingFeature = defineFeature({
  name: 'matching',
  commands: { ...memberCommands, ...roundCommands, 'match.schedule': schedule },
  actions: { [FOLLOW_UP_ACTION]: answerFollowUp },
  jobs: {
    'match.follow-up': {
      // Asked late rather than never after downtime, and only once per round (the job's key).
      policy: 'run-once',
      run: (ctx) => askWhetherTheyMet(ctx.tx, ctx.payload.roundId, ctx.now),
      describe: () => 'ask peer buddies whether they met',
    },
    [ROUND_JOB]: roundJob,
  },
  sweeps: [assignWaitingEverywhere, ensureRoundsScheduled],
  digestSections: [matchingDigestSection],
  personalData: matchingPersonalData,
});

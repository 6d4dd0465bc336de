import { textMessage } from '../chat/index.js';
import type { CommandContext, Reply } from '../commands/types.js';
import type { AppDeps } from '../deps.js';
import type { Feature } from '../features.js';
import { journeyActions } from './actions.js';
import { coordinatorCommands } from './coordinators.js';
import { startOrResume } from './flow.js';
import { position } from './journey.js';
import { packCommands, packForms } from './pack-commands.js';
import { profileActions, profileCommand } from './profile.js';
import { nudgeJob } from './reminder.js';
import { NUDGE_KIND } from './store.js';
import { onboardingForms } from './submit.js';

async function join(ctx: CommandContext): Promise<Reply> {
  if (!ctx.group) throw new Error('join needs a group');
  const outcome = await startOrResume(ctx.deps, ctx.group, ctx.member);
  if (outcome.kind === 'finished') {
    return {
      message: textMessage(
        `You have already finished your welcome to ${ctx.group.name}. To see or change your answers, type /copro profile.`,
      ),
    };
  }
  const { number, of } = position(outcome.view.step, outcome.view.shape);
  return {
    message: textMessage(
      outcome.kind === 'started'
        ? `Welcome! I have sent you a direct message to get you started: ${of} short steps, about two minutes in all.`
        : `Welcome back. I have sent you a direct message where you left off: step ${number} of ${of}.`,
    ),
  };
}

/** The newcomer's welcome: the pack, expectations, profile, access needs, buddy; and what coordinators see. */
export function onboardingFeature(deps: Pick<AppDeps, 'encryptionKey'>) {
  return {
    commands: {
      join,
      profile: profileCommand,
      ...packCommands,
      ...coordinatorCommands,
    },
    actions: { ...journeyActions, ...profileActions },
    forms: { ...onboardingForms, ...packForms },
    async onMemberJoined(appDeps, group, member) {
      // Joining the channel starts the journey; someone who already finished it is left in peace.
      await startOrResume(appDeps, group, member);
    },
    jobs: { [NUDGE_KIND]: nudgeJob(deps.encryptionKey) },
  } as const satisfies Feature;
}

import { literal, type Message, textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { FeatureDeps } from '../deps.js';
import { defineFeature } from '../features.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { journeyActions } from './actions.js';
import { coordinatorCommands } from './coordinators.js';
import { onboardingDigestSection } from './digest.js';
import { loadView, startOrResume } from './flow.js';
import { position } from './journey.js';
import { packCommands, packForms } from './pack-commands.js';
import { onboardingPersonalData } from './personal-data.js';
import { profileActions, profileCommand } from './profile.js';
import { nudgeJob } from './reminder.js';
import { journeyOf, NUDGE_KIND } from './store.js';
import { onboardingForms } from './submit.js';

/** The Home tab: where the member is in their welcome, until they finish. */
async function homeSection(
  deps: FeatureDeps,
  group: GroupRow,
  member: MemberRow,
): Promise<Message | undefined> {
  const journey = await journeyOf(deps.db, group.id, member.id);
  if (journey?.finishedAt) return undefined;
  if (!journey) {
    const text = `Welcome to ${literal(group.name)}. Type /copro join in <#${group.homeChannelId}> for a two-minute introduction to the group.`;
    return { text, blocks: [{ type: 'text', text }] };
  }
  const view = await loadView(deps.db, deps.encryptionKey, group, member, journey);
  const { number, of } = position(view.step, view.shape);
  const text = `Your welcome to ${literal(group.name)} is at step ${number} of ${of}. Type /copro join to carry on whenever suits you.`;
  return { text, blocks: [{ type: 'text', text }] };
}

async function join(ctx: ContextOf<'join'>): Promise<Reply> {
  const outcome = await startOrResume(ctx.deps, ctx.group, ctx.member);
  if (outcome.kind === 'finished') {
    return {
      message: textMessage(
        `You have already finished your welcome to ${literal(ctx.group.name)}. To see or change your answers, type /copro profile.`,
      ),
    };
  }
  const { number, of } = position(outcome.view.step, outcome.view.shape);
  return {
    message: textMessage(
      outcome.kind === 'started'
        ? 'Welcome! I have sent you a direct message.'
        : `Welcome back. I have sent you a direct message where you left off: step ${number} of ${of}.`,
    ),
  };
}

/** The newcomer's welcome: the pack, expectations, profile, access needs, buddy; and what coordinators see. */
export const onboardingFeature = defineFeature({
  name: 'onboarding',
  commands: {
    join,
    profile: profileCommand,
    ...packCommands,
    ...coordinatorCommands,
  },
  actions: { ...journeyActions, ...profileActions },
  forms: { ...onboardingForms, ...packForms },
  async onMemberJoined(deps, group, member) {
    // Joining the channel starts the journey; someone who already finished it is left in peace.
    await startOrResume(deps, group, member);
  },
  jobs: { [NUDGE_KIND]: nudgeJob },
  homeSection,
  digestSections: [onboardingDigestSection],
  personalData: onboardingPersonalData,
});

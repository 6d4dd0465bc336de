/** Saving the profile and access-needs forms, from the journey or from `/copro profile`. */
import { textMessage } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { FormContext } from '../features.js';
import { complete } from './complete.js';
import { groupForMember, loadView, sendToMember } from './flow.js';
import { type FormMode, parseFormState, readAccess, readProfile } from './forms.js';
import { nextStep, type Step } from './journey.js';
import { sealAccessNeeds, sealLivedExperience } from './sensitive.js';
import { stepMessage } from './steps.js';
import { journeyOf, moveTo, saveProfile } from './store.js';

type Errors = Readonly<Record<string, string>> | undefined;

function stateOf(ctx: FormContext) {
  const state = parseFormState(ctx.event.state);
  if (!state) throw new UserError('bad_form', 'That form has expired. Type /copro profile to start again.');
  return state;
}

/** After a form in the journey, move on and send the next step; from `/copro profile`, just confirm. */
async function afterSave(
  ctx: FormContext,
  groupId: number,
  mode: FormMode,
  step: Step,
  saved: string,
): Promise<void> {
  const { deps, member } = ctx;
  const group = await groupForMember(deps.db, groupId, member);
  const journey = await journeyOf(deps.db, group.id, member.id);
  const now = deps.clock.now();
  if (mode === 'journey' && journey && !journey.finishedAt && journey.step === step) {
    await deps.db.transaction(async (tx) => {
      const view = await loadView(tx, deps.encryptionKey, group, member, journey);
      const moved = await moveTo(tx, journey, nextStep(step, view.shape), now);
      const next = await loadView(tx, deps.encryptionKey, group, member, moved);
      if (next.step === 'done') await complete(tx, next, now);
      await sendToMember(tx, group, member, moved, stepMessage(next), now);
    });
    await deps.outbox?.flush();
    return;
  }
  await ctx.event.reply(textMessage(`${saved} Type /copro profile to see all your answers.`), {
    private: true,
  });
}

async function submitProfile(ctx: FormContext): Promise<Errors> {
  const { deps, member, event } = ctx;
  const { groupId, mode } = stateOf(ctx);
  const group = await groupForMember(deps.db, groupId, member);
  const key = deps.encryptionKey;
  const read = readProfile(event.values, key !== undefined && 'lived' in event.values);
  if (!read.ok) return read.errors;
  const { lived, ...answers } = read.answers;
  await saveProfile(deps.db, group.id, member.id, deps.clock.now(), {
    ...answers,
    ...(lived !== undefined && key
      ? {
          livedExperienceSealed:
            lived.length > 0 ? sealLivedExperience(key, group.id, member.id, lived) : null,
        }
      : {}),
  });
  await afterSave(ctx, group.id, mode, 'profile', 'Saved: your profile is up to date.');
  return undefined;
}

async function submitAccess(ctx: FormContext): Promise<Errors> {
  const { deps, member, event } = ctx;
  const { groupId, mode } = stateOf(ctx);
  const group = await groupForMember(deps.db, groupId, member);
  const key = deps.encryptionKey;
  if (!key)
    throw new UserError(
      'no_key',
      'copro cannot keep access needs safely at the moment, so nothing was stored. Please tell a coordinator what helps you instead.',
    );
  const read = readAccess(event.values);
  if (!read.ok) return read.errors;
  const now = deps.clock.now();
  // Submitting the form after "Yes, I agree" is the consent: its time is kept with the needs.
  await saveProfile(deps.db, group.id, member.id, now, {
    accessConsentAt: now,
    accessNeedsSealed: sealAccessNeeds(key, group.id, member.id, read.needs),
    accessNeedsNamed: read.named,
  });
  await afterSave(ctx, group.id, mode, 'access', 'Saved: your access needs are up to date.');
  return undefined;
}

export const onboardingForms = {
  'onboarding.profile': submitProfile,
  'onboarding.access': submitAccess,
} as const;

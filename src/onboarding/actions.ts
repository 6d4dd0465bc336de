/** The journey's buttons: each moves the member on one step, or opens the step's form. */
import { schema, type Tx } from '../../db/client.js';
import { textMessage } from '../chat/index.js';
import { UserError } from '../errors.js';
import type { ActionContext } from '../features.js';
import { audit } from '../groups/audit.js';
import { chosenRoleMessage } from '../groups/profile.js';
import { complete } from './complete.js';
import { groupForMember, loadView, requireJourney, sendToMember } from './flow.js';
import { accessForm, profileForm } from './forms.js';
import { nextStep, type Step } from './journey.js';
import { openAccessNeeds, openLivedExperience } from './sensitive.js';
import { parseStepValue, pausedMessage, type StepView, stepMessage } from './steps.js';
import { type JourneyRow, moveTo, pause, saveProfile } from './store.js';

async function answer(ctx: ActionContext): Promise<void> {
  const { deps, member, event } = ctx;
  const parsed = parseStepValue(event.value);
  if (!parsed)
    throw new UserError('bad_button', 'That button no longer works. Type /copro join to carry on.');
  const group = await groupForMember(deps.db, parsed.groupId, member);
  const journey = await requireJourney(deps.db, group, member);
  const view = await loadView(deps.db, deps.encryptionKey, group, member, journey);
  const expected = view.step === 'checklist' ? `agree-${journey.confirmed.length}` : undefined;
  if (parsed.step !== view.step || (expected && parsed.answer !== expected)) {
    // An older message's button: show where the member really is rather than redo a step.
    await event.updateMessage(stepMessage(view));
    return;
  }
  const key = deps.encryptionKey;
  if (view.step === 'profile' && parsed.answer === 'open') {
    const lived = key
      ? openLivedExperience(key, group.id, member.id, view.profile?.livedExperienceSealed ?? null)
      : undefined;
    await event.openForm(profileForm(group.id, 'journey', member, view.profile, group.timezone, lived));
    return;
  }
  if (view.step === 'access' && parsed.answer === 'consent') {
    const current = openAccessNeeds(key, group.id, member.id, view.profile?.accessNeedsSealed ?? null);
    await event.openForm(
      accessForm(group.id, 'journey', current, view.profile?.accessNeedsNamed ?? false, true),
    );
    return;
  }
  const now = deps.clock.now();
  const message = await deps.db.transaction(async (tx) => {
    const moved = await applyAnswer(tx, view, parsed.answer, now);
    if (!moved) return undefined;
    const next = await loadView(tx, key, group, member, moved);
    if (next.step === 'done') await complete(tx, next, now);
    return stepMessage(next);
  });
  if (!message)
    throw new UserError(
      'bad_answer',
      'copro did not understand that choice. Please use the buttons on the latest message.',
    );
  await event.updateMessage(message);
  await deps.outbox?.flush();
}

/** Record the answer and move on; undefined when the answer does not belong to the step. */
async function applyAnswer(
  tx: Tx,
  view: StepView,
  answer: string,
  now: Date,
): Promise<JourneyRow | undefined> {
  const { group, member, journey, shape } = view;
  const onward = (confirmed?: string[]) => moveTo(tx, journey, nextStep(view.step, shape), now, confirmed);
  const save = (patch: Parameters<typeof saveProfile>[4]) => saveProfile(tx, group.id, member.id, now, patch);
  const step: Step = view.step;
  switch (step) {
    case 'welcome':
      return answer === 'start' ? onward() : undefined;
    case 'pack':
      return answer === 'read' ? onward() : undefined;
    case 'checklist': {
      const item = view.pack.checklist[journey.confirmed.length];
      if (item === undefined) return onward();
      const confirmed = [...journey.confirmed, item];
      return confirmed.length < view.pack.checklist.length
        ? moveTo(tx, journey, 'checklist', now, confirmed)
        : onward(confirmed);
    }
    case 'profile':
    case 'access':
      return answer === 'skip' ? onward() : undefined;
    case 'buddy':
    case 'announce':
      if (answer !== 'yes' && answer !== 'no') return undefined;
      await save(step === 'buddy' ? { wantsBuddy: answer === 'yes' } : { welcomePost: answer === 'yes' });
      return onward();
    case 'role': {
      if (answer === 'none') return onward();
      const role = view.selfRoles.find((r) => `role-${r.key}` === answer);
      if (!role) return undefined;
      await tx
        .insert(schema.roleAssignments)
        .values({
          groupId: group.id,
          memberId: member.id,
          roleKey: role.key,
          assignedBy: member.id,
          assignedAt: now,
        })
        .onConflictDoNothing();
      await audit(tx, {
        groupId: group.id,
        actorMemberId: member.id,
        action: 'role.self-chosen',
        targetMemberId: member.id,
        details: { role: role.key },
        at: now,
      });
      await save({ chosenRole: role.key });
      // A private role starts hidden; its holder is offered the choice to show it, as when a
      // coordinator gives one.
      if (role.sensitive) await sendToMember(tx, group, member, journey, chosenRoleMessage(group, role), now);
      return onward();
    }
    case 'done':
      return undefined;
  }
}

async function notNow(ctx: ActionContext): Promise<void> {
  const { deps, member, event } = ctx;
  const group = await groupForMember(deps.db, Number(event.value), member);
  const journey = await requireJourney(deps.db, group, member);
  if (journey.finishedAt) {
    await event.reply(
      textMessage('You have already finished. You can change your answers at any time with /copro profile.'),
    );
    return;
  }
  await pause(deps.db, journey, deps.clock.now());
  await event.updateMessage(pausedMessage(group));
}

export const journeyActions = {
  'onboarding.step': answer,
  'onboarding.not-now': notNow,
} as const;

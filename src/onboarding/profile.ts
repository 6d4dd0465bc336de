/** `/copro profile`: every onboarding answer, privately, with a way to change or withdraw each. */

import { DateTime } from 'luxon';
import { type Button, literal, type Message, textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { AppDeps } from '../deps.js';
import { UserError } from '../errors.js';
import type { ActionContext } from '../features.js';
import { rolesSection } from '../groups/profile.js';
import { heldRoles } from '../groups/roles.js';
import type { GroupRow, MemberRow } from '../groups/types.js';
import { groupForMember } from './flow.js';
import { accessForm, CONTACT_FREQUENCIES, CONTACT_METHODS, profileForm } from './forms.js';
import { isStep, STEP_NAMES } from './journey.js';
import { describeNeeds, openAccessNeeds, openLivedExperience } from './sensitive.js';
import { journeyOf, profileOf, saveProfile } from './store.js';

export const EDIT_ACTION = 'onboarding.edit';

const labelOf = (list: readonly { value: string; label: string }[], value: string | null) =>
  list.find((o) => o.value === value)?.label ?? 'not given';
const yesNo = (v: boolean | null | undefined) =>
  v === null || v === undefined ? 'not answered' : v ? 'yes' : 'no';

export async function profileMessage(deps: AppDeps, group: GroupRow, member: MemberRow): Promise<Message> {
  const profile = await profileOf(deps.db, group.id, member.id);
  const journey = await journeyOf(deps.db, group.id, member.id);
  const key = deps.encryptionKey;
  const g = group.id;
  const zone = profile?.timezone ?? member.timezone ?? group.timezone;
  const fields = [
    { label: 'Name', value: profile?.preferredName ?? `${member.displayName} (from your chat profile)` },
    { label: 'Pronouns', value: profile?.pronouns ?? 'not given' },
    {
      label: 'Timezone',
      value: profile?.timezone ?? member.timezone ?? `not given (the group uses ${group.timezone})`,
    },
    { label: 'Contact me by', value: labelOf(CONTACT_METHODS, profile?.contactMethod ?? null) },
    { label: 'How often', value: labelOf(CONTACT_FREQUENCIES, profile?.contactFrequency ?? null) },
    { label: 'Interests', value: profile?.interests.length ? profile.interests.join(', ') : 'none given' },
    { label: 'Would like a buddy', value: yesNo(profile?.wantsBuddy) },
    { label: 'Hello posted in the channel', value: yesNo(profile?.welcomePost) },
  ];
  if (profile?.chosenRole)
    fields.push({ label: 'Role you chose', value: profile.chosenRole.replace(/-/g, ' ') });
  if (key) {
    const lived = openLivedExperience(key, g, member.id, profile?.livedExperienceSealed ?? null);
    fields.push({ label: 'Lived experience', value: lived.length > 0 ? lived.join(', ') : 'none given' });
    const needs = openAccessNeeds(key, g, member.id, profile?.accessNeedsSealed ?? null);
    fields.push({
      label: 'Access needs',
      value:
        needs && profile?.accessConsentAt
          ? `${describeNeeds(needs, 'your')}.\nYou said copro may keep these on ${DateTime.fromJSDate(profile.accessConsentAt, { zone }).toFormat('d LLLL yyyy')}. Coordinators ${profile.accessNeedsNamed ? 'may' : 'may not'} see your name with them.`
          : 'none stored',
    });
  }
  const welcome = !journey
    ? 'not started yet. Type /copro join to begin.'
    : journey.finishedAt
      ? 'finished.'
      : `you are at "${STEP_NAMES[isStep(journey.step) ? journey.step : 'welcome']}". Type /copro join to carry on.`;
  const buttons: Button[] = [
    { actionId: EDIT_ACTION, label: 'Change my profile', value: `${g}:profile`, style: 'primary' },
    {
      actionId: EDIT_ACTION,
      label: profile?.wantsBuddy ? 'I no longer want a buddy' : 'I would like a buddy',
      value: `${g}:${profile?.wantsBuddy ? 'buddy-no' : 'buddy-yes'}`,
    },
  ];
  if (key) buttons.push({ actionId: EDIT_ACTION, label: 'Change my access needs', value: `${g}:access` });
  if (profile?.accessNeedsSealed || profile?.accessConsentAt)
    buttons.push({
      actionId: EDIT_ACTION,
      label: 'Withdraw consent and delete my access needs',
      value: `${g}:withdraw`,
      style: 'danger',
    });
  const roles = rolesSection(group, await heldRoles(deps.db, group.id, member.id));
  const heading = `Your answers in ${literal(group.name)}`;
  const intro = `Only you can see this. Your welcome to the group: ${welcome}`;
  // Answers in the member's own words: shown as typed, never as markup or a mention.
  const ownWords = new Set(['Name', 'Pronouns', 'Interests', 'Lived experience', 'Access needs']);
  const shown = fields.map((f) => ({
    label: f.label,
    value: ownWords.has(f.label) ? literal(f.value) : f.value,
  }));
  return {
    text: [heading, intro, ...shown.map((f) => `${f.label}: ${f.value}`), roles.text].join('\n'),
    blocks: [
      { type: 'heading', text: heading },
      { type: 'text', text: intro },
      { type: 'fields', fields: shown },
      { type: 'buttons', buttons },
      { type: 'divider' },
      ...(roles.blocks ?? []),
    ],
  };
}

export async function profileCommand(ctx: ContextOf<'profile'>): Promise<Reply> {
  return { message: await profileMessage(ctx.deps, ctx.group, ctx.member) };
}

async function edit(ctx: ActionContext): Promise<void> {
  const { deps, member, event } = ctx;
  const [id = '', what = ''] = event.value.split(':');
  const group = await groupForMember(deps.db, Number(id), member);
  const profile = await profileOf(deps.db, group.id, member.id);
  const key = deps.encryptionKey;
  const now = deps.clock.now();
  switch (what) {
    case 'profile': {
      const lived = key
        ? openLivedExperience(key, group.id, member.id, profile?.livedExperienceSealed ?? null)
        : undefined;
      await event.openForm(profileForm(group.id, 'edit', member, profile, group.timezone, lived));
      return;
    }
    case 'access': {
      if (!key)
        throw new UserError(
          'no_key',
          'copro cannot keep access needs safely at the moment. Please tell a coordinator what helps you instead.',
        );
      const current = openAccessNeeds(key, group.id, member.id, profile?.accessNeedsSealed ?? null);
      await event.openForm(
        accessForm(
          group.id,
          'edit',
          current,
          profile?.accessNeedsNamed ?? false,
          profile?.accessConsentAt != null,
        ),
      );
      return;
    }
    case 'withdraw':
      await saveProfile(deps.db, group.id, member.id, now, {
        accessConsentAt: null,
        accessNeedsSealed: null,
        accessNeedsNamed: false,
      });
      await event.reply(
        textMessage(
          'Done: your consent is withdrawn and your access needs are deleted. Nothing about them is kept.',
        ),
        { private: true },
      );
      return;
    case 'buddy-yes':
    case 'buddy-no':
      await saveProfile(deps.db, group.id, member.id, now, { wantsBuddy: what === 'buddy-yes' });
      await event.reply(
        textMessage(
          what === 'buddy-yes'
            ? 'Done: you would like a buddy. A coordinator will pair you soon.'
            : 'Done: you will not be paired with a buddy.',
        ),
        { private: true },
      );
      return;
    default:
      throw new UserError(
        'bad_button',
        'That button no longer works. Type /copro profile to see your answers.',
      );
  }
}

export const profileActions = { [EDIT_ACTION]: edit } as const;

/** The two forms a member fills in (their profile and their access needs), and reading them back. */

import { type Form, type FormValues, lengthErrors } from '../chat/index.js';
import type { MemberRow } from '../groups/types.js';
import { readTimezone } from '../time.js';
import { ACCESS_NEEDS, type AccessNeeds } from './sensitive.js';
import type { ProfileRow } from './store.js';
import { choice, choices, cleanAnswer, tags } from './text.js';

export const PROFILE_FORM = 'onboarding.profile';
export const ACCESS_FORM = 'onboarding.access';

/** Where a form was opened from: the journey (it moves on after) or `/copro profile` (it does not). */
export type FormMode = 'journey' | 'edit';

export const formState = (groupId: number, mode: FormMode) => `${groupId}:${mode}`;

export function parseFormState(state: string | undefined): { groupId: number; mode: FormMode } | undefined {
  const [id, mode] = (state ?? '').split(':');
  const groupId = Number(id);
  if (!Number.isSafeInteger(groupId) || groupId <= 0 || (mode !== 'journey' && mode !== 'edit'))
    return undefined;
  return { groupId, mode };
}

export const CONTACT_METHODS = [
  { value: 'chat', label: 'A message here' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
] as const;

export const CONTACT_FREQUENCIES = [
  { value: 'as-needed', label: 'When needed' },
  { value: 'weekly', label: 'Once a week' },
  { value: 'monthly', label: 'Now and then' },
] as const;

const LIMITS = { name: 80, pronouns: 40, timezone: 60, tags: 300, other: 500 } as const;
/** The most characters each answer may have, by field: the form's boxes and the check on saving. */
const PROFILE_LIMITS = {
  name: LIMITS.name,
  pronouns: LIMITS.pronouns,
  timezone: LIMITS.timezone,
  interests: LIMITS.tags,
  lived: LIMITS.tags,
} as const;
const ACCESS_LIMITS = { other: LIMITS.other } as const;

export function profileForm(
  groupId: number,
  mode: FormMode,
  member: MemberRow,
  profile: ProfileRow | undefined,
  fallbackZone: string,
  lived: readonly string[] | undefined,
): Form {
  return {
    id: PROFILE_FORM,
    title: 'Your profile',
    submitLabel: 'Save',
    state: formState(groupId, mode),
    fields: [
      {
        kind: 'short',
        id: 'name',
        label: 'What should we call you?',
        required: true,
        maxLength: LIMITS.name,
        initial: profile?.preferredName ?? member.displayName,
      },
      {
        kind: 'short',
        id: 'pronouns',
        label: 'Your pronouns',
        maxLength: LIMITS.pronouns,
        ...(profile?.pronouns ? { initial: profile.pronouns } : {}),
      },
      {
        kind: 'short',
        id: 'timezone',
        label: 'Your timezone',
        hint: 'For example Europe/London.',
        required: true,
        maxLength: LIMITS.timezone,
        initial: profile?.timezone ?? member.timezone ?? fallbackZone,
      },
      {
        kind: 'select',
        id: 'contact',
        label: 'How to contact you?',
        options: CONTACT_METHODS,
        ...(profile?.contactMethod ? { initial: [profile.contactMethod] } : {}),
      },
      {
        kind: 'select',
        id: 'often',
        label: 'How often?',
        options: CONTACT_FREQUENCIES,
        ...(profile?.contactFrequency ? { initial: [profile.contactFrequency] } : {}),
      },
      {
        kind: 'short',
        id: 'interests',
        label: 'Your interests',
        hint: 'For example: walking. Helps find a buddy.',
        maxLength: LIMITS.tags,
        ...(profile?.interests.length ? { initial: profile.interests.join(', ') } : {}),
      },
      ...(lived
        ? [
            {
              kind: 'short' as const,
              id: 'lived',
              label: 'Your lived experience',
              hint: 'For example: diabetes. Only coordinators see it.',
              maxLength: LIMITS.tags,
              ...(lived.length > 0 ? { initial: lived.join(', ') } : {}),
            },
          ]
        : []),
    ],
  };
}

export interface ProfileAnswers {
  readonly preferredName: string;
  readonly pronouns: string | null;
  readonly timezone: string;
  readonly contactMethod: string | null;
  readonly contactFrequency: string | null;
  readonly interests: string[];
  /** Undefined when the form did not ask. */
  readonly lived: string[] | undefined;
}

export function readProfile(
  values: FormValues,
  askedLived: boolean,
): { ok: true; answers: ProfileAnswers } | { ok: false; errors: Record<string, string> } {
  const long = lengthErrors(PROFILE_LIMITS, values);
  if (long) return { ok: false, errors: long };
  const errors: Record<string, string> = {};
  const name = cleanAnswer(values.name);
  if (!name) errors.name = 'Please tell us what to call you. Your first name is fine.';
  const pronouns = cleanAnswer(values.pronouns);
  const zoneText = cleanAnswer(values.timezone);
  // The same reading as setup and group settings: place names only, never a fixed offset.
  const reading = readTimezone(zoneText);
  const zone = reading.ok ? reading.zone : undefined;
  if (!reading.ok) errors.timezone = reading.problem;
  const contact = choice(values.contact);
  const often = choice(values.often);
  if (contact && !CONTACT_METHODS.some((c) => c.value === contact))
    errors.contact = 'Please pick one of the choices.';
  if (often && !CONTACT_FREQUENCIES.some((c) => c.value === often))
    errors.often = 'Please pick one of the choices.';
  const interests = tags(values.interests);
  const lived = askedLived ? tags(values.lived) : undefined;
  for (const [id, list] of [
    ['interests', interests],
    ['lived', lived ?? []],
  ] as const) {
    if (list.length > 10 || list.some((t) => t.length > 40))
      errors[id] = 'Please give up to 10 short topics (40 characters each), separated by commas.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    answers: {
      preferredName: name,
      pronouns: pronouns || null,
      timezone: zone as string,
      contactMethod: contact ?? null,
      contactFrequency: often ?? null,
      interests,
      lived,
    },
  };
}

/**
 * `consented`: the member has already said yes to copro keeping their needs (in the journey, by
 * the button before the form). Otherwise the form says that saving it is the consent.
 */
export function accessForm(
  groupId: number,
  mode: FormMode,
  current: AccessNeeds | undefined,
  named: boolean,
  consented: boolean,
): Form {
  return {
    id: ACCESS_FORM,
    title: 'Your access needs',
    submitLabel: 'Save',
    state: formState(groupId, mode),
    fields: [
      {
        kind: 'checkboxes',
        id: 'needs',
        label: 'What helps you take part?',
        ...(consented
          ? {}
          : {
              hint: 'Only you and the coordinators see them. Saving means you agree to copro keeping them; you can delete them at any time.',
            }),
        options: ACCESS_NEEDS.map(({ value, label }) => ({ value, label })),
        ...(current ? { initial: current.choices } : {}),
      },
      {
        kind: 'paragraph',
        id: 'other',
        label: 'Anything else',
        maxLength: LIMITS.other,
        ...(current?.other ? { initial: current.other } : {}),
      },
      {
        kind: 'checkboxes',
        id: 'named',
        label: 'Show coordinators your name with your needs?',
        options: [{ value: 'yes', label: 'Yes' }],
        ...(named ? { initial: ['yes'] } : {}),
      },
    ],
  };
}

export function readAccess(
  values: FormValues,
): { ok: true; needs: AccessNeeds; named: boolean } | { ok: false; errors: Record<string, string> } {
  const long = lengthErrors(ACCESS_LIMITS, values);
  if (long) return { ok: false, errors: long };
  const picked = choices(values.needs);
  if (picked.some((p) => !ACCESS_NEEDS.some((n) => n.value === p)))
    return { ok: false, errors: { needs: 'Please pick from the choices shown.' } };
  const other = cleanAnswer(values.other, true);
  return { ok: true, needs: { choices: picked, other }, named: choices(values.named).includes('yes') };
}

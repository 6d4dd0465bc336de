/**
 * What onboarding holds about a person: where they are in their welcome, the expectations they
 * confirmed, their profile answers and, sealed, their access needs and lived experience (opened
 * for the export only, never logged). Erasing removes all of it, with the reminder planned for
 * them and the messages queued for their welcome.
 */
import { eq, inArray, like, or } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { groupNames } from '../groups/personal-data.js';
import type { PersonalData } from '../privacy/declaration.js';
import { CONTACT_FREQUENCIES, CONTACT_METHODS } from './forms.js';
import {
  ACCESS_NEEDS,
  accessContext,
  livedContext,
  openAccessNeeds,
  openLivedExperience,
} from './sensitive.js';
import { NUDGE_KIND } from './store.js';

const { onboardingJourneys: journeys, onboardingProfiles: profiles, onboardingPacks: packs } = schema;

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** The words the member chose from, rather than copro's stored code: "Large print", not "large-print". */
function labelOf(options: readonly { value: string; label: string }[], value: string | null): string | null {
  return value === null ? null : (options.find((o) => o.value === value)?.label ?? value);
}

const SEALED_WITHOUT_KEY = 'stored locked (encrypted); copro cannot open it without its key';

export const onboardingPersonalData: PersonalData = {
  refersToPerson: [
    'onboarding_journeys.member_id',
    'onboarding_profiles.member_id',
    'onboarding_packs.updated_by',
  ],
  sealed: [
    {
      column: 'onboarding_profiles.access_needs_sealed',
      aboutHealth: true,
      context: (row) => accessContext(Number(row.group_id), Number(row.member_id)),
    },
    {
      column: 'onboarding_profiles.lived_experience_sealed',
      aboutHealth: true,
      context: (row) => livedContext(Number(row.group_id), Number(row.member_id)),
    },
  ],
  holdsNoPerson: [
    'onboarding_journeys.confirmed',
    'onboarding_profiles.interests',
    'onboarding_packs.checklist',
  ],
  async export({ db, member, encryptionKey }) {
    const js = await db.select().from(journeys).where(eq(journeys.memberId, member.id));
    const ps = await db.select().from(profiles).where(eq(profiles.memberId, member.id));
    const edited = await db.select().from(packs).where(eq(packs.updatedBy, member.id));
    const names = await groupNames(
      db,
      [...js, ...ps, ...edited].map((r) => r.groupId),
    );
    return [
      {
        table: 'onboarding_journeys',
        title: 'Your welcome to the group',
        rows: js.map((j) => ({
          group: names.get(j.groupId),
          step: j.step,
          expectationsConfirmed: j.confirmed,
          started: iso(j.startedAt),
          lastStep: iso(j.stepAt),
          choseNotNow: iso(j.pausedAt),
          reminded: iso(j.remindedAt),
          finished: iso(j.finishedAt),
        })),
      },
      {
        table: 'onboarding_profiles',
        title: 'Your answers to the welcome questions',
        rows: ps.map((p) => {
          const needs = openAccessNeeds(encryptionKey, p.groupId, p.memberId, p.accessNeedsSealed);
          const lived = openLivedExperience(encryptionKey, p.groupId, p.memberId, p.livedExperienceSealed);
          return {
            group: names.get(p.groupId),
            preferredName: p.preferredName,
            pronouns: p.pronouns,
            timezone: p.timezone,
            contactBy: labelOf(CONTACT_METHODS, p.contactMethod),
            contactHowOften: labelOf(CONTACT_FREQUENCIES, p.contactFrequency),
            interests: p.interests,
            livedExperience: p.livedExperienceSealed ? (encryptionKey ? lived : SEALED_WITHOUT_KEY) : [],
            wantsBuddy: p.wantsBuddy,
            helloInChannel: p.welcomePost,
            chosenRole: p.chosenRole,
            accessNeedsConsent: iso(p.accessConsentAt),
            accessNeeds: p.accessNeedsSealed
              ? needs
                ? { ...needs, choices: needs.choices.map((c) => labelOf(ACCESS_NEEDS, c)) }
                : SEALED_WITHOUT_KEY
              : null,
            nameShownWithAccessNeeds: p.accessNeedsNamed,
            updated: iso(p.updatedAt),
          };
        }),
      },
      {
        table: 'onboarding_packs',
        title: 'Onboarding packs you last edited',
        rows: edited.map((p) => ({ group: names.get(p.groupId), editedAt: iso(p.updatedAt) })),
      },
    ];
  },
  async erase({ tx, member }) {
    const js = await tx.select({ id: journeys.id }).from(journeys).where(eq(journeys.memberId, member.id));
    const ids = js.map((j) => j.id);
    if (ids.length > 0) {
      // The reminder planned for them, and the welcome messages queued or kept for them.
      await tx
        .delete(schema.jobs)
        .where(or(...ids.map((id) => like(schema.jobs.key, `${NUDGE_KIND}:${id}:%`))));
      await tx.delete(schema.outbox).where(
        or(
          inArray(
            schema.outbox.purpose,
            ids.map((id) => `onboarding.hello:${id}`),
          ),
          ...ids.map((id) => like(schema.outbox.purpose, `onboarding:${id}:%`)),
        ),
      );
    }
    await tx.delete(journeys).where(eq(journeys.memberId, member.id));
    await tx.delete(profiles).where(eq(profiles.memberId, member.id));
    await tx.update(packs).set({ updatedBy: null }).where(eq(packs.updatedBy, member.id));
  },
  forgetting: {
    goes: 'your welcome answers, with any access needs and lived experience you shared',
  },
};

/**
 * One gentle reminder after three days without progress, never more, and never for someone who
 * chose "Not now". It is a durable job (see store.ts for when it is scheduled), so it survives
 * restarts; its catch-up policy drops a reminder that is more than four days late.
 */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import type { FeatureJob } from '../features.js';
import { isRecordedMember } from '../groups/membership.js';
import { loadView, sendToMember } from './flow.js';
import { reminderMessage } from './steps.js';
import { NUDGE_AFTER_MS } from './store.js';

declare module '../jobs/jobs.js' {
  interface JobPayloads {
    'onboarding.nudge': { readonly journeyId: number };
  }
}

export const nudgeJob: FeatureJob<'onboarding.nudge'> = {
  // A reminder more than four days late (its expires_at) is dropped rather than sent.
  policy: 'drop-if-past',
  async run({ tx, now, logger, payload, deps }) {
    const { journeyId } = payload;
    const [found] = await tx
      .select({ journey: schema.onboardingJourneys, group: schema.groups, member: schema.members })
      .from(schema.onboardingJourneys)
      .innerJoin(schema.groups, eq(schema.groups.id, schema.onboardingJourneys.groupId))
      .innerJoin(schema.members, eq(schema.members.id, schema.onboardingJourneys.memberId))
      .where(eq(schema.onboardingJourneys.id, journeyId))
      .for('update', { of: schema.onboardingJourneys });
    if (!found) return;
    const { journey, group, member } = found;
    const quiet = now.getTime() - journey.stepAt.getTime() >= NUDGE_AFTER_MS;
    if (journey.finishedAt || journey.pausedAt || journey.remindedAt || !quiet) return;
    if (!(await isRecordedMember(tx, group.id, member.id))) return;
    const view = await loadView(tx, deps.encryptionKey, group, member, journey);
    await sendToMember(tx, group, member, journey, reminderMessage(view), now);
    await tx
      .update(schema.onboardingJourneys)
      .set({ remindedAt: now })
      .where(eq(schema.onboardingJourneys.id, journey.id));
    logger.info({ journeyId }, 'onboarding reminder queued');
  },
  describe: () => 'send a newcomer one gentle reminder about their onboarding',
};

import { and, eq } from 'drizzle-orm';
import { type Db, schema, type Tx } from '../../db/client.js';
import type { MemberRow } from '../groups/types.js';

/**
 * A member's own timezone: the one they chose in their onboarding profile, else the one their
 * platform reports (Slack does), else none (the group's is used).
 */
export async function memberZone(
  db: Db | Tx,
  groupId: number,
  member: Pick<MemberRow, 'id' | 'timezone'>,
): Promise<string | undefined> {
  const [profile] = await db
    .select({ timezone: schema.onboardingProfiles.timezone })
    .from(schema.onboardingProfiles)
    .where(
      and(eq(schema.onboardingProfiles.groupId, groupId), eq(schema.onboardingProfiles.memberId, member.id)),
    );
  return profile?.timezone ?? member.timezone ?? undefined;
}

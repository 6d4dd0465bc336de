/**
 * What buddy matching may read from onboarding: interests, timezone and whether the member would
 * like a buddy. Nothing sensitive (lived experience, access needs) leaves through here.
 */
import type { Db, Tx } from '../../db/client.js';
import { profileOf } from './store.js';

export interface MatchingProfile {
  readonly interests: readonly string[];
  /** The member's own timezone, when they gave one. */
  readonly timezone: string | undefined;
  /** Undefined when they have not answered. */
  readonly wantsBuddy: boolean | undefined;
}

export async function matchingProfile(
  db: Db | Tx,
  groupId: number,
  memberId: number,
): Promise<MatchingProfile> {
  const profile = await profileOf(db, groupId, memberId);
  return {
    interests: profile?.interests ?? [],
    timezone: profile?.timezone ?? undefined,
    wantsBuddy: profile?.wantsBuddy ?? undefined,
  };
}

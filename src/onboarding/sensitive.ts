/**
 * Access needs and lived experience: health data under UK GDPR. Asked only when copro can seal
 * it (an encryption key is set), stored only after the member's explicit consent, shown only to
 * the member and the group's coordinators.
 */
import { type SealKey, seal, unseal } from '../privacy/sealed.js';

export const ACCESS_NEEDS = [
  { value: 'papers-early', label: 'Papers a week ahead', summary: 'papers a week ahead' },
  { value: 'large-print', label: 'Large print', summary: 'large print' },
  { value: 'easy-read', label: 'Easy read papers', summary: 'easy read versions' },
  { value: 'captions', label: 'Captions', summary: 'captions' },
  { value: 'step-free', label: 'A step-free venue', summary: 'a step-free venue' },
  { value: 'breaks', label: 'Regular breaks', summary: 'regular breaks' },
  { value: 'quiet', label: 'A quiet space', summary: 'a quiet space' },
] as const;

export interface AccessNeeds {
  readonly choices: readonly string[];
  /** In the member's own words. */
  readonly other: string;
}

export const accessContext = (groupId: number, memberId: number) =>
  `onboarding.access:${groupId}:${memberId}`;
export const livedContext = (groupId: number, memberId: number) => `onboarding.lived:${groupId}:${memberId}`;

export function sealAccessNeeds(key: SealKey, groupId: number, memberId: number, needs: AccessNeeds): string {
  return seal(key, JSON.stringify(needs), accessContext(groupId, memberId));
}

export function openAccessNeeds(
  key: SealKey | undefined,
  groupId: number,
  memberId: number,
  sealed: string | null,
): AccessNeeds | undefined {
  if (!key || !sealed) return undefined;
  const plain = unseal(key, sealed, accessContext(groupId, memberId));
  if (plain === undefined) return undefined;
  const parsed = JSON.parse(plain) as Partial<AccessNeeds>;
  return { choices: Array.isArray(parsed.choices) ? parsed.choices : [], other: String(parsed.other ?? '') };
}

export function sealLivedExperience(
  key: SealKey,
  groupId: number,
  memberId: number,
  tags: readonly string[],
): string {
  return seal(key, JSON.stringify(tags), livedContext(groupId, memberId));
}

export function openLivedExperience(
  key: SealKey | undefined,
  groupId: number,
  memberId: number,
  sealed: string | null,
): string[] {
  if (!key || !sealed) return [];
  const plain = unseal(key, sealed, livedContext(groupId, memberId));
  return plain === undefined ? [] : (JSON.parse(plain) as string[]);
}

/** "papers a week ahead, large print and: I use a wheelchair" */
export function describeNeeds(needs: AccessNeeds, whose: 'their' | 'your' = 'their'): string {
  const named: string[] = ACCESS_NEEDS.filter((n) => needs.choices.includes(n.value)).map((n) => n.summary);
  if (needs.other) named.push(`in ${whose} own words: “${needs.other}”`);
  return named.length > 0 ? named.join('; ') : 'nothing chosen';
}

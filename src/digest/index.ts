export { composeDigest, type Digest } from './compose.js';
export {
  DIGEST_JOB,
  type DigestOptions,
  digestFor,
  digestJob,
  ensureDigestsScheduled,
  setDigestSchedule,
} from './digest.js';
export { digestFeature } from './feature.js';
export { formatSendTime, nextOccurrences, parseWeeklyTime, type WeeklyTime } from './schedule.js';
export type { DigestSection, DigestSectionBuilder, SectionContext } from './sections.js';

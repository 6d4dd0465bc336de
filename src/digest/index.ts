export { composeDigest, type Digest } from './compose.js';
export {
  DIGEST_JOB,
  type DigestOptions,
  digestFor,
  digestJobHandlers,
  ensureDigestsScheduled,
  setDigestSchedule,
} from './digest.js';
export { createDigestFeature, digestFeature } from './feature.js';
export { formatSendTime, nextOccurrences, parseWeeklyTime, type WeeklyTime } from './schedule.js';
export * from './sections.js';

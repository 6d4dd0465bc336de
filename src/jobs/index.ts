export { notifyCoordinators } from './coordinators.js';
export { createDispatcher, type Dispatcher, type DispatchSummary, outboxRetryDelayMs } from './dispatcher.js';
export { cancelJobs, type JobRow, type JobSpec, scheduleJob, scheduleJobs } from './jobs.js';
export {
  enqueueMessage,
  enqueueMessages,
  markStale,
  type OutgoingMessage,
  recipientKey,
  releaseLeftClaims,
  upsertMessage,
} from './outbox.js';
export { type CatchUpPolicy, JOB_MAX_ATTEMPTS } from './policies.js';
export { unlimited } from './rate-limit.js';
export { pruneFinished, RETENTION_DAYS } from './retention.js';
export {
  createScheduler,
  type JobBatchContext,
  type JobContext,
  type JobDefinition,
  type JobHandlers,
  type Scheduler,
  type Sweep,
} from './scheduler.js';

export * from './digest.js';
export * from './events.js';
export * from './groups.js';
export * from './jobs.js';
export * from './matching.js';
export * from './onboarding.js';
export * from './outbox.js';
export * from './polls.js';

export * from './events.js';
export * from './groups.js';

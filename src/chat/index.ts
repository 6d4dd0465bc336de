export * from './events.js';
export * from './form.js';
export * from './message.js';
export * from './platform.js';

export * from './events.js';
export * from './form.js';
export * from './markdown.js';
export * from './message.js';
export * from './platform.js';

export * from './message.js';
export * from './probe.js';
export * from './targets.js';

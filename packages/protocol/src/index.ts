export * from './clocks.js';
export * from './envelope.js';
export * from './ids.js';
export * from './parse.js';
export * from './proxy-events.js';

export * from './proxy-events.js';

/**
 * Maelstrom's node protocol and workloads, declared once (zod): the messages a program reads and
 * writes, the error codes, each workload's and service's operations, and the history a workload
 * records. The lab's Maelstrom host, its clients, services and checkers derive from these.
 */
export * from './maelstrom/errors.js';
export * from './maelstrom/message.js';
export * from './maelstrom/rpcs.js';
export * from './maelstrom/history.js';

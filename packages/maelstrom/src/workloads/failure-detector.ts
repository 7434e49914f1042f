/**
 * failure-detector (faultline's own, not Maelstrom's): each node watches the others (its
 * heartbeats are its own messages, so they cross the lab's proxy and its faults); clients poll
 * every node in turn with `suspects`, answered `suspects_ok {suspects: [node ids]}`: the nodes it
 * suspects have failed, now. Polls are idempotent. The truth is the nemesis's events in the
 * history (kill … revive, pause … resume). Checker: checkers/failure-detector.ts (completeness
 * within `detectionMs`, and a false-suspicion rate of at most `maxFalseRate`).
 */
import { checkFailureDetector } from '../checkers/failure-detector.js';
import { okReply } from './reply.js';
import { nodeOf, type Workload } from './workload.js';

export const failureDetectorWorkload: Workload = {
  name: 'failure-detector',
  doc: 'answer every `suspects` with the nodes this node now suspects have failed: soon after one fails, and seldom a live one',
  idempotent: new Set(['suspects']),
  generator({ nodeIds }) {
    return {
      next: (process) => ({ node: nodeOf(nodeIds, process), f: 'suspects', body: { type: 'suspects' } }),
      final: () => [],
    };
  },
  setup: () => [],
  okValue: (_invoke, reply) => okReply('suspects', reply, (r) => r.suspects),
  check: (history, options = {}) =>
    checkFailureDetector(history, {
      ...(options.detectionMs === undefined ? {} : { detectionMs: options.detectionMs }),
      ...(options.maxFalseRate === undefined ? {} : { maxFalseRate: options.maxFalseRate }),
    }),
};

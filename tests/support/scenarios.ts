/**
 * Scenario files the tests hand to labs as text (class push --file, POST /lessons/run-file,
 * lesson run FILE --lab): the lesson format, small enough to run in a second.
 */

/** 2 nodes, one ping that comes back; line 13 names the rpc's target (tests swap n2 for n7). */
export const PING = `name: one-ping
title: One ping
concept: reliable communication
teaches: a ping on a quiet link comes back
minutes: 1
context: n1 pings n2 once.
cluster: { nodes: 2, seed: 3 }
predict:
  question: Will n1 get an answer?
  choices: [yes, no]
  answer: 1
steps:
  - rpc: { from: n1, to: n2, timeout: 2s, as: P }
expect:
  - { name: answered, check: rpc_outcome, rpcs: [P], outcome: ok }
explain: P ended {{rpc.P.outcome}}.
`;

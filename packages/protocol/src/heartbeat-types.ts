/**
 * The messages whose only news is "I am still here", sent over and over: the lab's own
 * `heartbeat`, a failure detector's `fd_beat`, and a leader's `lead` rounds with their
 * `lead_ack`s (a round also carries the leader's entries, but it goes every heartbeat, written
 * or not). They are traced like any message; the live views and the diagrams leave them out
 * unless asked (`--heartbeats`, the dashboard's toggle), so that what changed stands out.
 */
import { DETECTOR_BEAT } from './detector.js';
import { LEADER_LEAD, LEADER_LEAD_ACK } from './leader.js';

export const HEARTBEAT_TYPES: ReadonlySet<string> = new Set(['heartbeat', DETECTOR_BEAT, LEADER_LEAD, LEADER_LEAD_ACK]);

/**
 * State lines as routine as those messages: a leader's `lease` renewed at every round a majority
 * answered (`behaviour/key`). Left out of the live views and diagrams like the heartbeats.
 */
export const ROUTINE_STATES: ReadonlySet<string> = new Set(['leader/lease']);

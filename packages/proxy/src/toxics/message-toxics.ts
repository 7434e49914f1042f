/** faultline's message-aware toxics for WebSocket connections (they run before the byte toxics). */
import type { AnyToxicDefinition } from './toxic.js';
import { wsCutToxic } from './ws-cut.js';
import { wsDropToxic } from './ws-drop.js';
import { wsDuplicateToxic } from './ws-duplicate.js';
import { wsHoldToxic } from './ws-hold.js';
import { wsReorderToxic } from './ws-reorder.js';

export const messageToxics: AnyToxicDefinition[] = [wsDropToxic, wsDuplicateToxic, wsReorderToxic, wsHoldToxic, wsCutToxic];

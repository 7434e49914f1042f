export { parseClockOffset, parseDrift, parseDuration, parsePercent, parsePpm, parseRate, parseNode, parseGroup, formatDuration } from './units.js';
export { orderOf } from './format/order.js';
export { findLabUrl, labClient } from './client.js';
export { buildProgram } from './program.js';

export { parseDuration, parsePercent, parsePpm, parseRate, parseNode, parseGroup, formatDuration } from './units.js';
export { formatTraceLine, describeEvent, isHeartbeat } from './format/trace-line.js';
export { drawDiagram } from './format/diagram.js';
export { orderOf } from './format/order.js';

/**
 * Words for the page's events (pure): the terminal's own (`@faultline/checkers`), so a line says
 * the same in the dashboard as in `faultline logs`; the page has no node column, so the node leads.
 */
import { eventText } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';

export { clockTime, formatDuration as duration, vectorText as vcText } from '@faultline/checkers';

export function describe(l: TraceLine): string {
  return `${l.node ?? 'lab'} ${eventText(l)}`;
}

/**
 * The ambiguity lens on its own (`@faultline/lessons/lens`), and the words for times and clocks it
 * uses: pure, with no Node.js import, so the browser dashboard shares them with the lessons and the CLI.
 */
export { lensOf, truthOf, TRUTHS, TRUTH_LABEL, type AttemptTruth, type LensCall, type LensEntry, type Truth } from './ambiguity-lens.js';
export { clockTime, formatDuration, vectorText } from '../render/time.js';

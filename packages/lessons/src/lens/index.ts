/**
 * The ambiguity lens on its own (`@faultline/lessons/lens`): pure, with no Node.js import, so the
 * browser dashboard can use the same lens as the lessons and `faultline rpc`.
 */
export { lensOf, truthOf, TRUTHS, TRUTH_LABEL, type AttemptTruth, type LensCall, type LensEntry, type Truth } from './ambiguity-lens.js';

export { createRng, deriveSeed, type Rng } from './rng.js';

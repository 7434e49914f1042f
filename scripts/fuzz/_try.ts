import { fuzzCliFlags } from './cli-flags.js';
const t = performance.now();
const r = await fuzzCliFlags({ seed: 1, scale: 'full' });
console.log(JSON.stringify(r, null, 1), performance.now() - t);

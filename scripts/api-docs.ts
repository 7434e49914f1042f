/** npm run api-docs: writes docs/control-api.md from the control API's route registries and the error codes. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { controlApiDoc } from '@faultline/protocol';

const file = new URL('../docs/control-api.md', import.meta.url);
writeFileSync(file, controlApiDoc());
process.stdout.write(`wrote ${fileURLToPath(file)}\n`);

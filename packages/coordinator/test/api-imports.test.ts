/**
 * The control API depends on an interface of the lab (api/lab-port.ts), not the other way round:
 * lab.ts imports nothing from api/, and nothing in api/ imports lab.ts (start-lab.ts wires them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]);

describe('the lab and its control API', () => {
  it('lab.ts imports nothing from api/', () => {
    const imports = importsOf(join(SRC, 'lab.ts'));
    expect(imports.length).toBeGreaterThan(3);
    expect(imports.filter((i) => i.startsWith('./api/'))).toEqual([]);
  });

  it('no file of api/ imports lab.ts', () => {
    const files = readdirSync(join(SRC, 'api')).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    const offenders = files.filter((f) => importsOf(join(SRC, 'api', f)).some((i) => i === '../lab.js'));
    expect(offenders).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { cli, cmd, hintsForLab, typedFrom } from '../src/format/command.js';

afterEach(() => {
  hintsForLab(undefined);
  typedFrom('/repo', '/repo');
});

describe('a command in a hint', () => {
  it('is `npx faultline …`, as typed in the repository', () => {
    expect(cmd('heal')).toBe('`npx faultline heal`');
  });

  it('given --lab, a command that talks to the lab carries it; others do not, nor one that names its own', () => {
    hintsForLab('http://127.0.0.1:4000');
    expect(cmd('heal')).toBe('`npx faultline heal --lab http://127.0.0.1:4000`');
    expect(cmd('rpc n1 n2')).toBe('`npx faultline rpc n1 n2 --lab http://127.0.0.1:4000`');
    expect(cmd('lesson list')).toBe('`npx faultline lesson list`');
    expect(cmd('order 3 9 --trace runs/x/trace.ndjson')).toBe('`npx faultline order 3 9 --trace runs/x/trace.ndjson`');
    expect(cmd('status --lab http://h:1')).toBe('`npx faultline status --lab http://h:1`');
  });

  it('from a folder outside the repository (npm run --prefix), names the repository: npx would ask the registry', () => {
    typedFrom('/home/ada/work', '/home/ada/faultline');
    expect(cmd('exercise check g-counter-converges')).toBe('`npm run --prefix /home/ada/faultline faultline -- exercise check g-counter-converges`');
    typedFrom('/home/ada', "/home/ada/my labs/it's here");
    expect(cli()).toBe("npm run --prefix '/home/ada/my labs/it'\\''s here' faultline --");
    typedFrom('/home/ada/faultline/exercises', '/home/ada/faultline');
    expect(cli()).toBe('npx faultline');
    typedFrom('/home/ada/faultline-work', '/home/ada/faultline');
    expect(cli()).toBe('npm run --prefix /home/ada/faultline faultline --');
  });
});

import { spawnProxy } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { FaultlineError } from '@faultline/protocol';
import { withLab } from './support/lab.js';
import { plainToxiproxy } from './support/plain-toxiproxy.js';

describe('an external proxy', () => {
  it('on a plain Toxiproxy: byte faults work, message faults are refused as unsupported, and the lab deletes its proxies', async () => {
    const proxy = await spawnProxy([]);
    const plain = await plainToxiproxy(proxy.url);
    try {
      await withLab({ nodes: 2, toxiproxyUrl: plain.url }, async (lab) => {
        expect(lab.messageFaults).toBe(false);
        expect((await lab.status()).proxyUrl).toBe(plain.url);
        const err = (await lab.link('n1', 'n2', { latencyMs: 10, dropPct: 20 }).catch((e: unknown) => e)) as FaultlineError;
        expect(err).toBeInstanceOf(FaultlineError);
        expect(err.code).toBe('unsupported');
        expect(err.message).toBe(`dropPct needs faultline-proxy (message-level faults); the proxy at ${plain.url} is a plain Toxiproxy`);
        await expect(lab.hold('n1', 'n2')).rejects.toMatchObject({ code: 'unsupported' });
        // Nothing was changed by the refused request.
        expect((await lab.status()).links.every((l) => l.faults.length === 0)).toBe(true);

        await lab.link('n1', 'n2', { latencyMs: 200 });
        expect((await lab.rpc('n1', 'n2', 'ping', {}, 2_000)).result.elapsedMs).toBeGreaterThanOrEqual(195);
        await lab.partition([['n1'], ['n2']]);
        expect((await lab.rpc('n2', 'n1', 'ping', {}, 300)).result.outcome).toBe('timeout');
        await lab.heal();
        expect((await lab.rpc('n2', 'n1')).result.outcome).toBe('ok');
        expect(Object.keys((await (await fetch(`${proxy.url}/proxies`)).json()) as object).sort()).toEqual(['n1-n2', 'n2-n1']);
      });
      // The lab removed what it created, and left the proxy it did not start running.
      expect(await (await fetch(`${proxy.url}/proxies`)).json()).toEqual({});
      expect(proxy.alive()).toBe(true);
    } finally {
      await plain.close();
      await proxy.stop();
    }
  });
});

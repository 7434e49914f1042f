import { describe, expect, it } from 'vitest';
import { isLoopbackHost, refusal } from '../src/api/guard.js';

const open = { port: 8474, loopback: true };

describe('refusal', () => {
  it('lets tools through: no Origin, a loopback Host', () => {
    for (const host of [undefined, '127.0.0.1:8474', 'localhost:8474', '[::1]:8474', 'localhost']) expect(refusal({ host }, open), host).toBeUndefined();
  });

  it("accepts the API's own origin only", () => {
    expect(refusal({ origin: 'http://127.0.0.1:8474' }, open)).toBeUndefined();
    expect(refusal({ origin: 'http://localhost:8474' }, open)).toBeUndefined();
    for (const origin of ['http://evil.example', 'https://127.0.0.1:8474', 'http://127.0.0.1:9999', 'null', '', 'http://127.0.0.1:8474.evil.example', 'http://localhost:8474/x']) {
      const err = refusal({ origin, host: '127.0.0.1:8474' }, open);
      expect(err?.code, origin).toBe('forbidden');
      expect(err?.message).not.toMatch(/\n/);
    }
  });

  it('refuses foreign Host names on a loopback API (DNS rebinding), not on a wider one', () => {
    expect(refusal({ host: 'evil.example:8474' }, open)?.code).toBe('forbidden');
    expect(refusal({ host: '10.0.0.5:8474' }, open)?.code).toBe('forbidden');
    expect(refusal({ host: 'evil.example:8474', authorization: 'Bearer sekrit-token' }, { port: 8474, loopback: false, token: 'sekrit-token' })).toBeUndefined();
  });

  it('wants the token, when there is one, as a Bearer', () => {
    const policy = { port: 8474, loopback: false, token: 'sekrit-token' };
    expect(refusal({}, policy)?.message).toMatch(/^missing token: /);
    expect(refusal({ authorization: 'Bearer nope' }, policy)?.message).toMatch(/^wrong token: /);
    expect(refusal({ authorization: 'sekrit-token' }, policy)?.code).toBe('unauthorized');
    expect(refusal({ authorization: 'Bearer sekrit-token' }, policy)).toBeUndefined();
    expect(refusal({ authorization: 'bearer sekrit-token' }, policy)).toBeUndefined();
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback when it sees it', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1', '127.0.0.1.evil.example']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

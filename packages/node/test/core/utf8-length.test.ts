import fc from 'fast-check';
import { expect, it } from 'vitest';
import { utf8Length } from '../../src/core/utf8-length.js';

const encoder = new TextEncoder();

it('utf8Length is what TextEncoder gives, for any string, lone surrogates included (property)', () => {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  fc.assert(fc.property(fc.oneof(fc.string({ unit }), fc.string({ unit: 'binary' }), fc.string()), (text) => utf8Length(text) === encoder.encode(text).length));
  expect(utf8Length('')).toBe(0);
  expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
});

/** The page describes an event in the terminal's words (`faultline logs`), led by its node. */
import { eventText } from '@faultline/checkers';
import { ONE_OF_EACH_KIND } from '@faultline/checkers/testing';
import { describe as suite, expect, it } from 'vitest';
import { describe } from '../src/view/format.js';

suite("the page's words for an event", () => {
  it('are the words the terminal prints, after the node', () => {
    expect(describe(ONE_OF_EACH_KIND.send)).toBe('n1 → n2  ping n1-1-7 (reply to n2-1-3)');
    expect(describe(ONE_OF_EACH_KIND.pause)).toBe('n3 ‖ paused (SIGSTOP)');
    expect(describe(ONE_OF_EACH_KIND.proxy)).toBe('lab proxy n1→n3 held n1-1-12 (10 B, held 800ms)');
  });

  it('for every kind of event', () => {
    for (const l of Object.values(ONE_OF_EACH_KIND)) expect(describe(l)).toBe(`${l.node ?? 'lab'} ${eventText(l)}`);
  });
});

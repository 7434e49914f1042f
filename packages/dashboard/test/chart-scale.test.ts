/** The charts' arithmetic: a linear map, round ticks, figures in labels. */
import { describe, expect, it } from 'vitest';
import { figureText, linearScale, niceDomain, niceStep } from '../src/model/chart-scale.js';

describe('chart scales', () => {
  it('map a domain onto pixels, upside down for a y axis', () => {
    const y = linearScale([0, 100], [150, 50]);
    expect([y(0), y(50), y(100), y(120)]).toEqual([150, 100, 50, 30]);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it('step by 1, 2 or 5 times a power of ten, whichever is nearest the count asked for', () => {
    expect(niceStep(84, 4)).toBe(20);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(2000, 4)).toBe(500);
    expect(niceStep(7, 4)).toBe(2);
    expect(niceStep(0, 4)).toBe(1);
  });

  it('widen the domain to whole steps and tick each', () => {
    expect(niceDomain(3, 87, 4)).toEqual({ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceDomain(1994, 2006, 4)).toEqual({ domain: [1994, 2006], ticks: [1994, 1996, 1998, 2000, 2002, 2004, 2006] });
    expect(niceDomain(-0.25, 0.3, 4).ticks).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
  });

  it('give a single value an axis around it', () => {
    expect(niceDomain(300, 300, 4)).toEqual({ domain: [299, 301], ticks: [299, 299.5, 300, 300.5, 301] });
    expect(niceDomain(0, 0, 4, 10).domain).toEqual([-10, 10]);
  });

  it('write whole figures as they are, others to two decimals', () => {
    expect([figureText(57), figureText(0.6666), figureText(12.5), figureText(-3)]).toEqual(['57', '0.67', '12.5', '-3']);
  });
});

/** Shows true time `range` on a dashboard page's diagram (the whole run when none), and waits for that drawing. */
import type { Page } from 'playwright-core';
import './dashboard-window.js';

export const showRange = (page: Page, range?: readonly [number, number]): Promise<void> =>
  page.evaluate((r) => {
    const canvas = document.getElementById('diagram')!;
    return new Promise<void>((resolve) => {
      canvas.addEventListener('drawn', () => resolve(), { once: true });
      if (r) window.faultline.view().showRange(r[0], r[1]);
      else window.faultline.view().fit();
    });
  }, range);

/**
 * report.html and the benchmark page as people see them, at 1400 and 420 px in Chromium:
 * screenshots go to test-results/ (look at them), and the layout is checked — the page never
 * scrolls sideways, no table or chart sticks out of its box (wide ones scroll inside it, and at
 * 1400 px the target tables and matrices need no scrolling at all), and a failed target's reason
 * is on the same screen as its row, in the matrix's detail card and in the failures list.
 * The report is a real run (the bundled suite with a gate two variants miss), not a fixture.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../src/node/browser/launch.ts';
import { startHarnessServer, type HarnessServer } from '../src/node/browser/harness-server.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { parseReportJson } from '../src/kernel/render/json.ts';
import type { Report } from '../src/kernel/judge/types.ts';

const OUT = join(PACKAGE_ROOT, 'test-results');
const WIDTHS = [1400, 420] as const;
const HEIGHT = 900;

/**
 * Boxes that stick out: elements (tables, svgs, figures, pre) wider than the viewport outside a
 * horizontal scroll container, and scroll containers themselves wider than the viewport. With
 * `strict`, tables of the given classes must also fit their scroll container without scrolling.
 */
const OVERFLOWS = `(strictTables) => {
  var vw = document.documentElement.clientWidth;
  var out = [];
  if (document.documentElement.scrollWidth > vw + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  function box(el) { for (var p = el.parentElement; p; p = p.parentElement) { var o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return p; } return null; }
  document.querySelectorAll('table, svg, figure, pre, .scroll').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0) return;
    var b = box(el);
    var outer = b ? b.getBoundingClientRect() : { left: 0, right: vw };
    if (r.left < outer.left - 1 || (!b && r.right > vw + 1)) out.push(el.tagName + '.' + el.getAttribute('class') + ' sticks out: ' + Math.round(r.left) + '..' + Math.round(r.right));
    if (b && outer.right > vw + 1) out.push('scroll box of ' + el.tagName + ' wider than the window');
    if (b && el.tagName === 'TABLE' && strictTables.some(function (c) { return el.classList.contains(c); }) && b.scrollWidth > b.clientWidth + 1)
      out.push('table.' + el.getAttribute('class') + ' needs scrolling: ' + b.scrollWidth + ' > ' + b.clientWidth);
  });
  return out;
}`;

let browser: Browser;
let report: Report;
let reportFile: string;
let server: HarnessServer | undefined;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'parity-screens-'));
  const run = spawnSync(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin/parity.js'), 'run', '--gate', 'top1Agreement >= 0.99', '--backends', 'ort-node/cpu,ort-web/wasm,tfjs/cpu', '--out', dir],
    { cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 240_000 },
  );
  expect(run.status, run.stderr).toBe(1);
  reportFile = join(dir, 'report.html');
  report = parseReportJson(readFileSync(join(dir, 'report.json'), 'utf8'));
  browser = await openBrowser();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

async function open(width: number, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: HEIGHT } });
  await page.goto(url);
  return page;
}

describe('report.html on screen', () => {
  it('has failed targets to show (the gate two variants miss)', () => {
    const failed = report.targets.filter((t) => t.status === 'failed').map((t) => t.variant);
    expect(new Set(failed)).toEqual(new Set(['int4-weight', 'distilled']));
  });

  it.each(WIDTHS)(
    'at %i px: nothing sticks out of its box',
    async (width) => {
      const page = await open(width, `file://${reportFile}`);
      await page.screenshot({ path: join(OUT, `report-${width}.png`) });
      await page.screenshot({ path: join(OUT, `report-${width}-full.png`), fullPage: true });
      const strict = width >= 1400 ? ['targets', 'matrix'] : [];
      expect(await page.evaluate(`(${OVERFLOWS})(${JSON.stringify(strict)})`)).toEqual([]);
      await page.close();
    },
    60_000,
  );

  it.each(WIDTHS)(
    "at %i px: a failed target's reason is within one screen of its row",
    async (width) => {
      const page = await open(width, `file://${reportFile}`);
      const failed = report.targets.filter((t) => t.status === 'failed');
      for (const t of failed) {
        const row = page.locator('table.targets tr.row-fail', { has: page.locator(`a[href="#t-${t.id.replace(/[^A-Za-z0-9_-]+/g, '-')}"]`) });
        await row.scrollIntoViewIfNeeded();
        const why = row.locator('xpath=following-sibling::tr[1][contains(@class,"explain")]');
        const gate = t.gates.find((g) => !g.passed)!;
        expect(await why.textContent()).toContain(`gate failed: ${gate.metric} = `);
        const [r, w] = [await row.boundingBox(), await why.boundingBox()];
        expect(w!.y + w!.height - r!.y).toBeLessThan(HEIGHT);
        expect(await why.isVisible()).toBe(true);
      }
      // The matrix cell opens the details, with the reason in view.
      const first = failed[0]!;
      await page.locator(`table.matrix td.c-fail a[href="#t-${first.id.replace(/[^A-Za-z0-9_-]+/g, '-')}"]`).click();
      const card = page.locator(`section.detail#t-${first.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`);
      expect(await card.isVisible()).toBe(true);
      expect(await card.locator('.why').first().textContent()).toContain('gate failed');
      const box = await card.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(HEIGHT);
      await page.screenshot({ path: join(OUT, `report-${width}-details.png`) });
      // The status bar filters: only failures remain in the failures list and the matrix.
      await page.goto(`file://${reportFile}`);
      await page.click('.statusbar button[data-filter="fail"]');
      expect(await page.locator('table.matrix td.cell[data-status]:visible').count()).toBe(failed.length);
      await page.close();
    },
    60_000,
  );
});

describe('the benchmark page on screen', () => {
  it('keeps progress in view while running, then shows results that fit their boxes at 1400 and 420 px', async () => {
    server = await startHarnessServer({ cacheName: 'harness-test-screens' });
    // One run (at 420 px, where the fold is nearest), its results looked at in both widths.
    const page = await open(420, `${server.url}?model=mnist-cnn&backends=ort-web/wasm,tfjs/wasm&variants=fp32,distilled&samples=8&run=1`);
    await page.waitForSelector('#progress-section.running', { timeout: 120_000 });
    const progress = await page.locator('#progress-section').boundingBox();
    expect(progress!.y).toBeLessThan(HEIGHT - 40);
    await page.screenshot({ path: join(OUT, 'page-420-running.png') });
    await page.waitForFunction(() => document.body.dataset.parityStatus === 'done' || document.body.dataset.parityStatus === 'failed', null, {
      timeout: 180_000,
    });
    expect(await page.evaluate(() => document.body.dataset.parityStatus)).toBe('done');
    // int8-static's reason is on the page, not only in a hover title.
    expect(await page.locator('#variants label.off .why').first().isVisible()).toBe(true);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await page.locator('#results-section').evaluate((e) => e.scrollIntoView());
      await page.screenshot({ path: join(OUT, `page-${width}.png`) });
      await page.screenshot({ path: join(OUT, `page-${width}-full.png`), fullPage: true });
      expect(await page.evaluate(`(${OVERFLOWS})(${JSON.stringify(width >= 1400 ? ['targets', 'matrix'] : [])})`)).toEqual([]);
    }
    await page.close();
  }, 240_000);
});

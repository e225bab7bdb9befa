// npm run bench:startup [-- --loads=5 --port=4198 --query=backend=auto]: builds the app, serves it, and
// in Debian's Chromium opens the default page cold (a newly launched browser, fresh profile, each time:
// its GPU process has compiled no shader yet), then warm (one browser, another link), then as a revisit (a link opened before, whose phantoms the engine
// stored), `loads` times each. Prints, per load, when each start-up milestone happened after
// navigation, read in the page (HTML, scripts, engine start, backend ready, data ready, Train enabled and
// answering, first viewer frame), and how long from pressing Train to the first step on screen; then the
// medians. Goals (issue "Fast everywhere"): Train enabled within 1.5 s, first step within 2 s of Train. With --against=DIR (another
// build, e.g. `git worktree add /tmp/old REF && cd /tmp/old && npx vite build --outDir /tmp/dist-old`), the
// cold loads alternate between this build and that one, and the paired differences are printed: on this
// machine, whose speed drifts by 1.5x within minutes, only same-run comparisons mean anything. One untimed
// cold load runs first (--discard=N); each cold browser sits on a blank tab for --settle=MS (1000) first.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { buildAndServe, serve } from './preview';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const port = Number(args.get('port') ?? 4198);
const loads = Number(args.get('loads') ?? 5);
// Untimed cold loads before the timed ones (--discard=0 keeps the browser's first page).
const discard = Number(args.get('discard') ?? 1);
const query = args.get('query') ?? '';
const outDir = args.get('outDir') ?? '/tmp/dist-startup';
const against = args.get('against');
// How long a cold load's new browser sits on a blank tab before the link opens (its own start-up settles).
const settleMs = Number(args.get('settle') ?? 1000);

interface Load {
  /** warm: a browser that has loaded the page before, another link; revisit: the same link again (its phantoms stored). */
  kind: 'cold' | 'warm' | 'revisit';
  html: number;
  scripts: number;
  engineStart: number;
  backendReady: number;
  dataReady: number;
  /** The Train button enabled in the DOM, and the main thread's next task after that (when a click is handled). */
  trainEnabled: number;
  trainAnswers: number;
  /** The longest main-thread task in the second after Train is enabled (until it is pressed): the most a click then waits. */
  clickWait: number;
  firstFrame: number;
  trainToStep: number;
}

/**
 * Installed before the page's own scripts: records, in the page, when the Train button became enabled (a
 * MutationObserver), when the main thread next ran a task after that (a click made at once is handled by
 * then: the page answers), and when the step counter first showed a step. Playwright's own polling and
 * round trips lag by up to ~0.6 s here while SwiftShader's drawing starves the browser's other processes.
 */
const RECORDER = `(() => {
  const r = (window.__slpStartup = {});
  const obs = new MutationObserver(() => {
    const b = document.querySelector('button.primary[data-control="train"]');
    if (r.enabled === undefined && b && !b.disabled) {
      r.enabled = performance.now();
      setTimeout(() => { r.answers = performance.now(); }, 0);
    }
    if (r.step === undefined && Number(document.querySelector('output[aria-label="Step"]')?.textContent ?? 0) > 0) {
      r.step = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['disabled'] });
  r.long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) r.long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
})()`;

async function measure(page: Page, kind: Load['kind'], seed: number, at = port): Promise<Load> {
  // A seed of its own per load: a warm profile would otherwise restore the previous load's run.
  page.on('console', (m) => {
    if (process.env.BENCH_DEBUG && m.text().startsWith('phantoms')) console.log(`${kind} ${seed}: ${m.text()}`);
  });
  await page.addInitScript(RECORDER);
  await page.goto(`http://127.0.0.1:${at}/?${query}${query ? '&' : ''}seed=${seed}`);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.waitFor({ state: 'visible', timeout: 120_000 });
  await page.waitForFunction(
    () => (window as unknown as { __slpStartup: { answers?: number } }).__slpStartup.answers !== undefined,
    null,
    {
      timeout: 120_000,
      polling: 20,
    },
  );
  await page.waitForFunction(() => performance.getEntriesByName('slp:first-frame').length > 0, null, { timeout: 60_000 });
  await train.click();
  await page.waitForFunction(
    () => (window as unknown as { __slpStartup: { step?: number } }).__slpStartup.step !== undefined,
    null,
    {
      timeout: 120_000,
      polling: 20,
    },
  );
  // A string, not a function: tsx would wrap inner functions in a helper the page does not have.
  const t = (await page.evaluate(`(() => {
    const mark = (n) => performance.getEntriesByName('slp:' + n)[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0];
    const scripts = performance.getEntriesByType('resource')
      .filter((r) => r.initiatorType === 'script')
      .reduce((m, r) => Math.max(m, r.responseEnd), 0);
    const r = window.__slpStartup;
    return {
      html: nav.responseEnd, scripts,
      engineStart: mark('engine-start'), backendReady: mark('backend-ready'), dataReady: mark('data-ready'),
      trainEnabled: r.enabled, trainAnswers: r.answers,
      clickWait: r.long
        .filter(([t, d]) => t + d > r.enabled && t < Math.min(r.enabled + 1000, mark('train-pressed')))
        .reduce((m, [, d]) => Math.max(m, d), 0),
      firstFrame: mark('first-frame'), trainToStep: r.step - mark('train-pressed'),
    };
  })()`)) as Omit<Load, 'kind'>;
  return { kind, ...t };
}

/** In the page: whether the engine's phantom store holds the phantoms of link seed `seed` (inputs seed*1000 + i). */
const phantomsStored = (seed: number) => `new Promise((resolve) => {
  const r = indexedDB.open('slp-phantoms');
  r.onsuccess = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains('phantoms')) return resolve(false);
    const k = db.transaction('phantoms').objectStore('phantoms').getAllKeys();
    k.onsuccess = () => resolve(k.result.filter((key) => String(key).includes('"seed":${seed * 1000}')).length === 1);
  };
  r.onerror = () => resolve(false);
})`;

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : Number.NaN;
}

const COLS: (keyof Omit<Load, 'kind'>)[] = [
  'html',
  'scripts',
  'engineStart',
  'backendReady',
  'dataReady',
  'trainEnabled',
  'trainAnswers',
  'clickWait',
  'firstFrame',
  'trainToStep',
];
const W = 14;

function print(rows: Load[]): void {
  const head = ['load', ...COLS].map((c) => c.padStart(W)).join('');
  console.log(
    'ms after navigation (trainEnabled: the button enabled; trainAnswers: the page free to handle a click on it; clickWait: the longest main-thread task in the second after that, ms; trainToStep: from pressing Train to the first step on screen, ms)',
  );
  console.log(head);
  for (const [i, r] of rows.entries())
    console.log([`${r.kind} ${i % loads}`, ...COLS.map((c) => r[c].toFixed(0))].map((v) => v.padStart(W)).join(''));
  for (const kind of ['cold', 'warm', 'revisit'] as const) {
    const of = rows.filter((r) => r.kind === kind);
    console.log(
      [`median ${kind}`, ...COLS.map((c) => median(of.map((r) => r[c])).toFixed(0))].map((v) => v.padStart(W)).join(''),
    );
  }
  const revisit = rows.filter((r) => r.kind === 'revisit');
  if (revisit.length) {
    const [e, st] = [median(revisit.map((r) => r.trainAnswers)), median(revisit.map((r) => r.trainToStep))];
    console.log(
      `revisit: Train answers at ${(e / 1000).toFixed(2)} s, ${((e + st) / 1000).toFixed(2)} s from the link to a moving curve`,
    );
  }
  const cold = rows.filter((r) => r.kind === 'cold');
  const enabled = median(cold.map((r) => r.trainAnswers));
  const step = median(cold.map((r) => r.trainToStep));
  console.log(
    `cold: Train answers at ${(enabled / 1000).toFixed(2)} s (goal: enabled within 1.5 s; enabled at ${(median(cold.map((r) => r.trainEnabled)) / 1000).toFixed(2)} s), first step ${(step / 1000).toFixed(2)} s after Train (goal 2 s), ${((enabled + step) / 1000).toFixed(2)} s from the link to a moving curve (goal 3.5 s)`,
  );
}

/** This build's cold loads against --against's, load by load (each pair ran back to back). */
function printPaired(mine: Load[], theirs: Load[]): void {
  console.log(`\ncold loads, this build against ${against} (alternating, ${mine.length} pairs):`);
  for (const c of ['backendReady', 'dataReady', 'trainEnabled', 'trainAnswers', 'clickWait', 'firstFrame'] as const) {
    const diffs = mine.map((r, i) => r[c] - theirs[i][c]);
    console.log(
      `${c.padEnd(13)} this ${(median(mine.map((r) => r[c])) / 1000).toFixed(2)} s, that ${(median(theirs.map((r) => r[c])) / 1000).toFixed(2)} s; ` +
        `this - that per pair: median ${(median(diffs) / 1000).toFixed(2)} s (${diffs.map((d) => (d / 1000).toFixed(2)).join(', ')})`,
    );
  }
}

async function main(): Promise<void> {
  const server = await buildAndServe({ outDir, port });
  let base: { stop: () => void } | null = null;
  try {
    base = against ? await serve({ dir: against, port: port + 1 }) : null;
  } catch (err) {
    server.stop();
    throw err;
  }
  let browser: Browser | null = null;
  try {
    const launch = () =>
      chromium.launch({ executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined, args: CHROMIUM_ARGS });
    // A cold load is a first visit in a browser just opened: its own process (and its GPU process, whose
    // compiled shaders a second context of the same browser would reuse), a blank tab settled first.
    const coldLoad = async (seed: number, at: number) => {
      const fresh = await launch();
      try {
        const page = await fresh.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto('about:blank');
        await page.waitForTimeout(settleMs);
        return await measure(page, 'cold', seed, at);
      } finally {
        await fresh.close();
      }
    };
    const rows: Load[] = [];
    const baseRows: Load[] = [];
    // One untimed cold load first: the first browser launched is slower (the OS caches its files),
    // which would fall on whichever build went first.
    for (let i = 0; i < discard; i++) await coldLoad(90 + i, port);
    for (let i = 0; i < loads; i++) {
      // With --against, which build goes first alternates.
      const order = base && i % 2 ? [true, false] : [false, true];
      for (const isBase of base ? order : [false])
        (isBase ? baseRows : rows).push(await coldLoad(i + 1, isBase ? port + 1 : port));
    }
    browser = await launch();
    const warm = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Each tab is closed after its load: an open one would go on training beside the next.
    const once = async (kind: Load['kind'], seed: number) => {
      const page = await warm.newPage();
      // As for a cold load: the link opens from a settled blank tab (the last tab's processes have ended).
      await page.goto('about:blank');
      await page.waitForTimeout(settleMs);
      const row = await measure(page, kind, seed);
      await page.close();
      return row;
    };
    await once('cold', 100);
    for (let i = 0; i < loads; i++) rows.push(await once('warm', 101 + i));
    // The same link again, once the engine has stored its phantoms (2 s after the data are ready).
    for (let i = 0; i < loads; i++) {
      const page = await warm.newPage();
      await page.goto(`http://127.0.0.1:${port}/?${query}${query ? '&' : ''}seed=${201 + i}`);
      // page.evaluate awaits the promise (waitForFunction would take the promise itself as truthy).
      for (let t = 0; !(await page.evaluate(phantomsStored(201 + i))); t++) {
        if (t > 240) throw new Error(`the phantoms of seed ${201 + i} were not stored within a minute`);
        await page.waitForTimeout(250);
      }
      await page.close();
      rows.push(await once('revisit', 201 + i));
    }
    await warm.close();
    print(rows);
    if (base)
      printPaired(
        rows.filter((r) => r.kind === 'cold'),
        baseRows,
      );
  } finally {
    await browser?.close();
    server.stop();
    base?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

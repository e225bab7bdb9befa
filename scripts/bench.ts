// npm run bench: builds the app, serves it, and in Debian's Chromium trains the reference net
// (2D U-Net, depth 2, 8 base filters, batch 4) at 64x64 and 128x128 on every available backend,
// through the engine and through a bare tfjs loop; wasm both multi-threaded and single-threaded
// (--wasmThreads=both|on|off, --rounds=N back-to-back pairs). Prints a table and writes
// bench-results/bench.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { buildAndServe } from './preview';
import type { BenchResult } from '../src/engine/backend/bench';

type Row = BenchResult & { longestTaskMs: number; round: number };

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const port = Number(args.get('port') ?? 4199);
const outDir = args.get('outDir') ?? '/tmp/dist-bench';
const query = new URLSearchParams({
  backends: args.get('backends') ?? 'webgpu,wasm,webgl,cpu',
  sizes: args.get('sizes') ?? '64,128',
  steps: args.get('steps') ?? '20',
  budget: args.get('budget') ?? '20000',
  wasmThreads: args.get('wasmThreads') ?? 'both',
  // Multi/single-threaded wasm pairs, alternating order per round.
  rounds: args.get('rounds') ?? '2',
});

function fmt(x: number | undefined, digits = 0): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

async function main(): Promise<void> {
  const server = await buildAndServe({ outDir, port });
  try {
    const browser = await chromium.launch({
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/bench.html?${query}`);
    await page.waitForFunction(() => window.benchDone || window.benchError, null, { timeout: 3_600_000, polling: 1000 });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    const rows = (await page.evaluate(() => window.benchResults)) as Row[];
    const userAgent = await page.evaluate(() => navigator.userAgent);
    await browser.close();
    report(rows, userAgent);
  } finally {
    server.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/**
 * wasm: single-threaded ms/step over multi-threaded ms/step per size, from the same run: the ratio of
 * the medians of all steps pooled over rounds, and each round's own ratio (its pair ran back to back).
 */
function threadRatios(rows: Row[]): string[] {
  const ok = rows.filter((r) => r.backend === 'wasm' && r.engine && r.bare);
  const single = (r: Row) => r.threadsReason === 'single-threaded on request';
  const out: string[] = [];
  for (const size of new Set(ok.map((r) => r.size))) {
    const multi = ok.filter((r) => r.size === size && (r.threads ?? 1) > 1);
    const one = ok.filter((r) => r.size === size && single(r));
    if (!multi.length || !one.length) continue;
    const pooled = (rs: Row[], loop: 'engine' | 'bare') => median(rs.flatMap((r) => r[loop]!.stepsMs));
    const perRound = multi.flatMap((m) => {
      const s = one.find((r) => r.round === m.round);
      return s ? [fmt(s.engine!.median / m.engine!.median, 2)] : [];
    });
    out.push(
      `wasm ${size}x${size}: ${multi[0].threads} threads ${fmt(pooled(multi, 'engine'))} ms/step vs 1 thread ` +
        `${fmt(pooled(one, 'engine'))}: ${fmt(pooled(one, 'engine') / pooled(multi, 'engine'), 2)}x ` +
        `(bare loop ${fmt(pooled(one, 'bare') / pooled(multi, 'bare'), 2)}x; per round ${perRound.join(', ')})`,
    );
  }
  for (const r of ok.filter((r) => r.threadsReason && !single(r)))
    out.push(`wasm ${r.size}x${r.size} ran single-threaded: ${r.threadsReason}`);
  return out;
}

function report(rows: Row[], userAgent: string): void {
  const webgl = new Map(rows.filter((r) => r.backend === 'webgl' && r.engine).map((r) => [r.size, r.engine!.median]));
  const header =
    '| backend | threads | size | ms/step median (min-max) | first step ms | bare loop ms | engine/bare | webgl/this | tensors before/after | heap MB | longest main-thread task ms |';
  const lines = [header, '|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    if (!r.available || !r.engine || !r.bare) {
      lines.push(`| ${r.backend} | | ${r.size} | unavailable: ${r.error ?? ''} | | | | | | | |`);
      continue;
    }
    const w = webgl.get(r.size);
    const heap = r.wasmHeap ?? r.bytesAfter;
    lines.push(
      `| ${r.backend} | ${r.threads ?? ''} | ${r.size} | ${fmt(r.engine.median)} (${fmt(r.engine.min)}-${fmt(r.engine.max)}), n=${r.engine.stepsMs.length} | ${fmt(r.engine.firstStepMs)} | ${fmt(r.bare.median)} | ${fmt(r.overhead, 3)} | ${w ? fmt(w / r.engine.median, 1) : '–'} | ${r.tensorsBefore}/${r.tensorsAfter} | ${fmt((heap ?? 0) / 2 ** 20, 1)} | ${fmt(r.longestTaskMs)} |`,
    );
  }
  const table = [...lines, '', ...threadRatios(rows)].join('\n');
  console.log(`Reference net: 2D U-Net, depth 2, 8 base filters, 3 channels, batch 4, GDL, Adam.\n${userAgent}\n`);
  console.log(table);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', JSON.stringify({ date: new Date().toISOString(), userAgent, rows }, null, 1));
  writeFileSync('bench-results/bench.md', `${table}\n`);
  console.log('\nwrote bench-results/bench.json and bench-results/bench.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

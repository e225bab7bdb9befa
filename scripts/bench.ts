// npm run bench: builds the app, serves it, and in Debian's Chromium trains the reference net
// (2D U-Net, depth 2, 8 base filters, batch 4) at 64x64 and 128x128 on every available backend
// (--networks=unet2d,unet3d adds the 3D U-Net at --sizes3d=32, batch 2),
// through the engine and through a bare tfjs loop; wasm both multi-threaded and single-threaded
// (--wasmThreads=both|on|off, --rounds=N back-to-back pairs). Prints a table and writes
// bench-results/bench.json. PyTorch (Debian's python3-torch, scripts/bench_torch.py: the same net, batch, loss
// and optimizer, native and held to 128-bit SIMD, 1 and 2 threads) runs right before each round's page load,
// and each round's wasm/PyTorch ratios and their median over rounds are printed; without PyTorch it says so.
// --profile=N runs N more engine steps under tf.profile and prints, per configuration, the kernels by ms/step.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';
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
  networks: args.get('networks') ?? 'unet2d',
  sizes3d: args.get('sizes3d') ?? '32',
  steps: args.get('steps') ?? '20',
  budget: args.get('budget') ?? '20000',
  wasmThreads: args.get('wasmThreads') ?? 'both',
  // Multi/single-threaded wasm pairs, alternating order per round.
  rounds: args.get('rounds') ?? '2',
  profile: args.get('profile') ?? '0',
});

function fmt(x: number | undefined, digits = 0): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** One PyTorch timing of the same net (scripts/bench_torch.py). */
interface TorchRow {
  network: string;
  size: number;
  threads: number;
  isa: 'native' | '128-bit';
  median: number;
  /** The round it ran just before (its page load). */
  round?: number;
}

const HOLD_128 = { DNNL_MAX_CPU_ISA: 'SSE41', ONEDNN_MAX_CPU_ISA: 'SSE41', ATEN_CPU_CAPABILITY: 'default' };
const PYTHON = '/usr/bin/python3';

/** PyTorch here, or why not (the ratios are then left out). */
function torchMissing(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return null;
  } catch {
    return `no PyTorch at ${PYTHON} (Debian: apt-get install python3-torch): the PyTorch ratios are left out`;
  }
}

/** The networks, sizes and batches the browser runs (the page's own rule: 2D at `sizes`, batch 4; 3D at `sizes3d`, batch 2). */
function benchCases(): { network: string; size: number; batch: number }[] {
  const list = (key: string) => (query.get(key) ?? '').split(',').filter(Boolean);
  return list('networks').flatMap((network) =>
    list(network === 'unet3d' ? 'sizes3d' : 'sizes').map((s) => ({
      network,
      size: Number(s),
      batch: network === 'unet3d' ? 2 : 4,
    })),
  );
}

/** PyTorch on the cases and thread counts the browser ran, native and held to 128-bit SIMD. */
function runTorch(): TorchRow[] {
  const rows: TorchRow[] = [];
  for (const { network, size, batch } of benchCases())
    for (const threads of [1, 2])
      for (const isa of ['native', '128-bit'] as const) {
        const env = { ...process.env, ...(isa === '128-bit' ? HOLD_128 : {}) };
        const out = execFileSync(
          PYTHON,
          [
            'scripts/bench_torch.py',
            `--network=${network}`,
            `--size=${size}`,
            `--batch=${batch}`,
            `--threads=${threads}`,
            `--steps=${query.get('steps')}`,
          ],
          { env, encoding: 'utf8' },
        );
        rows.push({ ...(JSON.parse(out.trim().split('\n').at(-1)!) as TorchRow), isa });
      }
  return rows;
}

/** One page load of the bench page with `params`; its rows and the browser's user agent. */
async function loadBenchPage(browser: Browser, params: URLSearchParams): Promise<{ rows: Row[]; userAgent: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/bench.html?${params}`);
    await page.waitForFunction(() => window.benchDone || window.benchError, null, { timeout: 3_600_000, polling: 1000 });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    const rows = (await page.evaluate(() => window.benchResults)) as Row[];
    return { rows, userAgent: await page.evaluate(() => navigator.userAgent) };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const missing = torchMissing();
  const rounds = Math.max(1, Number(query.get('rounds')));
  const rows: Row[] = [];
  const torch: TorchRow[] = [];
  let userAgent = '';
  const server = await buildAndServe({ outDir, port });
  try {
    const browser = await chromium.launch({
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: CHROMIUM_ARGS,
    });
    // A page load per round with PyTorch right before it: each round's wasm/PyTorch ratio is a back-to-back
    // pair (this machine's speed drifts by 1.5x within minutes). Other backends run in the first round only.
    const wasm = (query.get('backends') ?? '').split(',').includes('wasm');
    for (let round = 0; round < (wasm ? rounds : 1); round++) {
      if (!missing) torch.push(...runTorch().map((t) => ({ ...t, round })));
      const params = new URLSearchParams(query);
      params.set('rounds', '1');
      params.set('firstRound', String(round));
      if (round > 0) params.set('backends', 'wasm');
      const load = await loadBenchPage(browser, params);
      rows.push(...load.rows);
      userAgent = load.userAgent;
    }
    await browser.close();
  } finally {
    server.stop();
  }
  report(rows, userAgent, torch, missing);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/**
 * wasm: single-threaded ms/step over multi-threaded ms/step per size, from the same run: the ratio of
 * the medians of all steps pooled over rounds, and each round's own ratio (its pair ran back to back).
 */
/** "64x64" for the reference net, "3D U-Net 32^3" for the 3D one. */
function caseLabel(r: { network?: string; size: number }): string {
  return r.network === 'unet3d' ? `3D U-Net ${r.size}^3` : `${r.size}x${r.size}`;
}

function threadRatios(rows: Row[]): string[] {
  const ok = rows.filter((r) => r.backend === 'wasm' && r.engine && r.bare);
  const single = (r: Row) => r.threadsReason === 'single-threaded on request';
  const out: string[] = [];
  for (const label of new Set(ok.map(caseLabel))) {
    const multi = ok.filter((r) => caseLabel(r) === label && (r.threads ?? 1) > 1);
    const one = ok.filter((r) => caseLabel(r) === label && single(r));
    if (!multi.length || !one.length) continue;
    const pooled = (rs: Row[], loop: 'engine' | 'bare') => median(rs.flatMap((r) => r[loop]!.stepsMs));
    const perRound = multi.flatMap((m) => {
      const s = one.find((r) => r.round === m.round);
      return s ? [fmt(s.engine!.median / m.engine!.median, 2)] : [];
    });
    out.push(
      `wasm ${label}: ${multi[0].threads} threads ${fmt(pooled(multi, 'engine'))} ms/step vs 1 thread ` +
        `${fmt(pooled(one, 'engine'))}: ${fmt(pooled(one, 'engine') / pooled(multi, 'engine'), 2)}x ` +
        `(bare loop ${fmt(pooled(one, 'bare') / pooled(multi, 'bare'), 2)}x; per round ${perRound.join(', ')})`,
    );
  }
  for (const r of ok.filter((r) => r.threadsReason && !single(r)))
    out.push(`wasm ${caseLabel(r)} ran single-threaded: ${r.threadsReason}`);
  return out;
}

/**
 * wasm's engine ms/step over PyTorch's at the same size and threads, PyTorch from the same round (run just
 * before that round's page load); then, per case, the median of those back-to-back ratios.
 */
function torchRatios(rows: Row[], torch: TorchRow[]): string[] {
  const out: string[] = [];
  const perCase = new Map<string, { held: number[]; native: number[] }>();
  for (const r of rows.filter((r) => r.backend === 'wasm' && r.engine)) {
    const threads = r.threadsReason === 'single-threaded on request' ? 1 : (r.threads ?? 1);
    const network = r.network ?? 'unet2d';
    const of = (isa: TorchRow['isa']) => {
      const same = torch.filter(
        (t) => (t.network ?? 'unet2d') === network && t.size === r.size && t.threads === threads && t.isa === isa,
      );
      const inRound = same.filter((t) => t.round === r.round);
      return median((inRound.length ? inRound : same).map((t) => t.median));
    };
    const held = of('128-bit');
    const native = of('native');
    const key = `wasm ${caseLabel(r)}, ${threads} thread${threads > 1 ? 's' : ''}`;
    const c = perCase.get(key) ?? { held: [], native: [] };
    c.held.push(r.engine!.median / held);
    c.native.push(r.engine!.median / native);
    perCase.set(key, c);
    out.push(
      `${key} (round ${r.round}): ${fmt(r.engine!.median)} ms/step; PyTorch 128-bit ` +
        `${fmt(held)} ms (wasm/PyTorch ${fmt(r.engine!.median / held, 2)}x), native ${fmt(native)} ms (${fmt(r.engine!.median / native, 2)}x)`,
    );
  }
  out.push('', "Median of the rounds' back-to-back ratios:");
  for (const [key, c] of perCase)
    out.push(
      `${key}: wasm/PyTorch-128-bit ${fmt(median(c.held), 2)}x (rounds ${c.held.map((x) => fmt(x, 2)).join(', ')}), ` +
        `wasm/native ${fmt(median(c.native), 2)}x`,
    );
  return out;
}

/** A configuration's kernels by ms/step (the 12 longest, then the rest summed), and the step's time outside them. */
function kernelTable(r: Row): string[] {
  const ks = r.kernels ?? [];
  // Custom-gradient ops include their own kernels' time, which are listed too: left out of the sums.
  const sum = (xs: typeof ks, key: 'msPerStep' | 'callsPerStep') => xs.reduce((a, k) => a + (k.inclusive ? 0 : k[key]), 0);
  const label = (k: (typeof ks)[number]) => (k.inclusive ? `${k.name} (custom op, its kernels included)` : k.name);
  const inKernels = sum(ks, 'msPerStep');
  const threads = r.threadsReason === 'single-threaded on request' ? 1 : (r.threads ?? '');
  const rest = ks.slice(12);
  return [
    '',
    `${r.backend} ${threads ? `${threads} thread(s) ` : ''}${caseLabel(r)} round ${r.round}: ${fmt(r.profiledStepMs, 1)} ms/step under the profiler, ` +
      `${fmt(inKernels, 1)} in kernels, ${fmt((r.profiledStepMs ?? 0) - inKernels, 1)} outside`,
    '| kernel | ms/step | calls/step |',
    '|---|---|---|',
    ...ks.slice(0, 12).map((k) => `| ${label(k)} | ${fmt(k.msPerStep, 2)} | ${fmt(k.callsPerStep)} |`),
    ...(rest.length ? [`| ${rest.length} others | ${fmt(sum(rest, 'msPerStep'), 2)} | ${fmt(sum(rest, 'callsPerStep'))} |`] : []),
  ];
}

function report(rows: Row[], userAgent: string, torch: TorchRow[] = [], torchMissingWhy: string | null = null): void {
  const webgl = new Map(rows.filter((r) => r.backend === 'webgl' && r.engine).map((r) => [caseLabel(r), r.engine!.median]));
  const header =
    '| backend | threads | size | ms/step median (min-max) | first step ms | bare loop ms | engine/bare | webgl/this | tensors before/after | heap MB | longest main-thread task ms |';
  const lines = [header, '|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    if (!r.available || !r.engine || !r.bare) {
      lines.push(`| ${r.backend} | | ${caseLabel(r)} | unavailable: ${r.error ?? ''} | | | | | | | |`);
      continue;
    }
    const w = webgl.get(caseLabel(r));
    const heap = r.wasmHeap ?? r.bytesAfter;
    lines.push(
      `| ${r.backend} | ${r.threads ?? ''} | ${caseLabel(r)} | ${fmt(r.engine.median)} (${fmt(r.engine.min)}-${fmt(r.engine.max)}), n=${r.engine.stepsMs.length} | ${fmt(r.engine.firstStepMs)} | ${fmt(r.bare.median)} | ${fmt(r.overhead, 3)} | ${w ? fmt(w / r.engine.median, 1) : '–'} | ${r.tensorsBefore}/${r.tensorsAfter} | ${fmt((heap ?? 0) / 2 ** 20, 1)} | ${fmt(r.longestTaskMs)} |`,
    );
  }
  const profiles = rows.filter((r) => r.kernels?.length).flatMap(kernelTable);
  const vsTorch = torchMissingWhy ? [torchMissingWhy] : torchRatios(rows, torch);
  const table = [
    ...lines,
    '',
    ...threadRatios(rows),
    '',
    'Against PyTorch (same net, batch, loss and optimizer; PyTorch run just before each round):',
    ...vsTorch,
    ...(profiles.length
      ? ['', 'Where an engine step goes (tf.profile; wasm kernels run synchronously, so kernel ms is wall time):', ...profiles]
      : []),
  ].join('\n');
  console.log(
    `Reference net: 2D U-Net, depth 2, 8 base filters, 3 channels, batch 4, GDL, Adam (3D U-Net: depth 2, 4 base filters, batch 2).\n${userAgent}\n`,
  );
  console.log(table);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', JSON.stringify({ date: new Date().toISOString(), userAgent, rows, torch }, null, 1));
  writeFileSync('bench-results/bench.md', `${table}\n`);
  console.log('\nwrote bench-results/bench.json and bench-results/bench.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

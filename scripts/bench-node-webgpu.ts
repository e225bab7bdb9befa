// npm run bench:node-webgpu [-- --size 64 --batch 4 --steps 200]: trains the reference net (2D U-Net,
// depth 2, 8 filters, 3 channels, GDL, Adam) with tfjs-backend-webgpu in Node through Dawn (npm
// `webgpu`), and prints ms/step and steps/s, engine and bare loop. Where Dawn finds no adapter (no GPU,
// or a Vulkan driver it rejects) it says so in one line and exits cleanly.
import { spawnSync } from 'node:child_process';
import { create, globals } from 'webgpu';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Asks Dawn for an adapter in a child process, so its native warnings become our one-line reason. */
function probe(): { adapter: boolean; reason: string } {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--probe'], { encoding: 'utf8' });
  const reason = (child.stderr ?? '')
    .split('\n')
    .map((l) => l.replace(/^Warning:\s*/, '').trim())
    .filter((l) => l && !l.startsWith('at '))
    .join('; ');
  return { adapter: child.stdout.includes('adapter: yes'), reason };
}

async function main(): Promise<void> {
  if (process.argv.includes('--probe')) {
    const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    console.log(`adapter: ${adapter ? 'yes' : 'no'}`);
    return;
  }
  const probed = probe();
  if (!probed.adapter) {
    console.log(
      `bench:node-webgpu: Dawn found no WebGPU adapter here${probed.reason ? ` (${probed.reason})` : ''}: nothing to time.`,
    );
    return;
  }
  const size = arg('size', 64);
  const batch = arg('batch', 4);
  const steps = arg('steps', 200);
  // tfjs-backend-webgpu looks for navigator.gpu and the WebGPU globals (GPUBufferUsage, ...).
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('the adapter the probe found is gone');
  const info = (adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string } }).info;
  console.log(
    `bench:node-webgpu: adapter ${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' / ') || 'unknown'}`,
  );
  const { runBenchmark } = await import('../src/engine/backend/bench');
  const r = await runBenchmark({ backend: 'webgpu', size, batch, steps, budgetMs: 120_000 });
  if (!r.available || !r.engine || !r.bare) {
    console.log(`bench:node-webgpu: tfjs could not train on this adapter: ${r.error ?? 'unknown reason'}`);
    return;
  }
  const line = (name: string, t: NonNullable<typeof r.engine>) =>
    `${name.padEnd(7)} first step ${t.firstStepMs.toFixed(0)} ms, then median ${t.median.toFixed(2)} ms/step (${(1000 / t.median).toFixed(0)} steps/s), min ${t.min.toFixed(2)}, max ${t.max.toFixed(2)}, ${t.stepsMs.length} steps`;
  console.log(`reference net ${size}x${size}, batch ${batch}, ${r.params.toLocaleString('en-US')} parameters`);
  console.log(line('engine', r.engine));
  console.log(line('bare', r.bare));
  console.log(`engine/bare ${r.overhead?.toFixed(3)}; tensors before ${r.tensorsBefore}, after ${r.tensorsAfter}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:node-webgpu: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

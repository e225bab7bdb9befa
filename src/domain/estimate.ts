// Before a run starts: how much memory and time a training step will take, from the network, patch, batch,
// number of runs and backend. tf-free (the page asks before the engine builds anything): the networks'
// layers are listed here as channels and scale, so parameters and activations are counted, not guessed.
import type { BackendName, GpuKind } from './backends';
import { DEFAULT_SPECS, type NetworkKind, type ResolvedSpec } from './network-spec';
import { stepCostMs } from './step-cost';

/** One layer's output: channels, its share of the input's voxels, its weights and its patch matrix. */
interface Layer {
  channels: number;
  scale: number;
  params: number;
  /** Floats per output voxel of the convolution's patch matrix (kernel volume x input channels), a temporary. */
  patchMatrix: number;
}

const conv = (p: { cin: number; cout: number; kernel: number; dims: number; scale?: number }): Layer => ({
  channels: p.cout,
  scale: p.scale ?? 1,
  params: p.kernel ** p.dims * p.cin * p.cout + p.cout,
  patchMatrix: p.kernel ** p.dims * p.cin,
});
const plain = (channels: number, scale = 1): Layer => ({ channels, scale, params: 0, patchMatrix: 0 });
/** A dilated conv (space-to-batch): one copy of its input and of its output per spatial axis, kept for the backward pass. */
const phaseCopies = (cin: number, cout: number): Layer[] => [
  ...Array.from({ length: 3 }, () => plain(cin)),
  ...Array.from({ length: 3 }, () => plain(cout)),
];

function unetLayers(s: ResolvedSpec, dims: number): Layer[] {
  const out: Layer[] = [plain(s.inChannels)];
  const at = (level: number) => 1 / 2 ** (dims * level);
  let cin = s.inChannels;
  const twoConvs = (filters: number, level: number) => {
    out.push(
      conv({ cin, cout: filters, kernel: 3, dims, scale: at(level) }),
      conv({ cin: filters, cout: filters, kernel: 3, dims, scale: at(level) }),
    );
    cin = filters;
  };
  for (let level = 0; level < s.depth; level++) {
    twoConvs(s.baseFilters * 2 ** level, level);
    out.push(plain(cin, at(level + 1))); // max pool
  }
  twoConvs(s.baseFilters * 2 ** s.depth, s.depth);
  for (let level = s.depth - 1; level >= 0; level--) {
    const filters = s.baseFilters * 2 ** level;
    out.push(conv({ cin, cout: filters, kernel: 2, dims, scale: at(level) }), plain(2 * filters, at(level))); // up-conv, concat
    cin = 2 * filters;
    twoConvs(filters, level);
  }
  out.push(conv({ cin, cout: s.numClasses, kernel: 1, dims }));
  return out;
}

function twoPathLayers(s: ResolvedSpec): Layer[] {
  const [local, global, hidden] = [s.baseFilters, 2 * s.baseFilters, 2 * s.baseFilters];
  const maxout = (cin: number, cout: number, kernel: number): Layer[] => [
    ...Array.from({ length: s.maxoutPieces }, () => conv({ cin, cout, kernel, dims: 2 })),
    plain(cout), // the maximum over pieces
    plain(cout), // the pool after it
  ];
  return [
    plain(s.inChannels),
    ...maxout(s.inChannels, local, 7),
    ...maxout(local, local, 5),
    ...maxout(s.inChannels, global, 13),
    plain(local + global),
    conv({ cin: local + global, cout: hidden, kernel: 1, dims: 2 }),
    conv({ cin: hidden, cout: s.numClasses, kernel: 1, dims: 2 }),
  ];
}

function highResLayers(s: ResolvedSpec): Layer[] {
  const out: Layer[] = [plain(s.inChannels), conv({ cin: s.inChannels, cout: s.baseFilters, kernel: 3, dims: 3 })];
  let channels = s.baseFilters;
  for (let group = 0; group < 3; group++) {
    const filters = s.baseFilters * 2 ** group;
    for (let block = 0; block < s.blocks; block++) {
      if (channels !== filters) out.push(conv({ cin: channels, cout: filters, kernel: 1, dims: 3 }));
      const dilated = group > 0;
      out.push(plain(channels), conv({ cin: channels, cout: filters, kernel: 3, dims: 3 })); // relu, conv1
      if (dilated) out.push(...phaseCopies(channels, filters));
      out.push(plain(filters), conv({ cin: filters, cout: filters, kernel: 3, dims: 3 }), plain(filters)); // relu, conv2, add
      if (dilated) out.push(...phaseCopies(filters, filters));
      channels = filters;
    }
  }
  out.push(plain(channels), conv({ cin: channels, cout: s.numClasses, kernel: 1, dims: 3 }));
  return out;
}

/** The network's layers at its default spec (what the playground trains). */
export function networkLayers(network: NetworkKind, spec: ResolvedSpec = DEFAULT_SPECS[network]): Layer[] {
  if (network === 'unet2d') return unetLayers(spec, 2);
  if (network === 'unet3d') return unetLayers(spec, 3);
  if (network === 'twopath2d') return twoPathLayers(spec);
  return highResLayers(spec);
}

export const paramCount = (network: NetworkKind): number => networkLayers(network).reduce((a, l) => a + l.params, 0);
/** Floats per input voxel of one image held by the forward pass (every layer's output). */
export const activationsPerVoxel = (network: NetworkKind): number =>
  networkLayers(network).reduce((a, l) => a + l.channels * l.scale, 0);
/** The largest convolution's patch matrix per input voxel (one convolution runs at a time). */
const patchMatrixPerVoxel = (network: NetworkKind): number =>
  Math.max(...networkLayers(network).map((l) => l.patchMatrix * l.scale));

/** Live copies of each activation during a step: the output kept for the backward pass, its gradient, and one in flight. */
export const ACTIVATION_COPIES = 3;
/** Weights, their gradients, and Adam's two moments. */
const PARAM_COPIES = 4;
const FLOAT = 4;

/** Rough memory a backend can give one page: wasm32 heaps and WebGL textures are capped well below RAM. */
export const MEMORY_LIMIT_BYTES: Record<BackendName, number> = {
  wasm: 2 * 2 ** 30,
  cpu: 2 * 2 ** 30,
  webgl: 1 * 2 ** 30,
  webgpu: 2 * 2 ** 30,
};
/** A step longer than this makes the page look frozen and delays fault detection. */
export const SLOW_STEP_MS = 30_000;

export interface RunShape {
  network: NetworkKind;
  patch: number;
  batch: number;
  /** Runs trained together (one per loss). */
  runs: number;
  steps: number;
  /** Phantom side (the volume the patches are cut from). */
  size: number;
  backend: BackendName;
  /** webgl/webgpu: a hardware or a software GPU (the model's GPU figures are software ones). */
  gpu?: GpuKind;
  /** ms/step measured on this device for these settings (auto's timing, earlier runs), used over the model. */
  measuredMsPerStep?: number;
}

export interface RunEstimate {
  bytes: number;
  limitBytes: number;
  msPerStep: number;
  /** All runs, all steps. */
  totalMs: number;
  fits: boolean;
  /** Why it needs a confirmation, as clauses after "It" (empty when it fits). */
  problems: string[];
  /** The memory would not fit (rather than the run only being slow). */
  tooBig: boolean;
  /** What would make it fit: smaller patch or batch, a 2D net. */
  suggestion: string;
}

/** Bytes one training step of one run holds at its peak (what bench:memory measures). */
export function stepBytes(p: Pick<RunShape, 'network' | 'patch' | 'batch'>): number {
  const voxels = p.patch ** (p.network.endsWith('3d') ? 3 : 2) * p.batch;
  const perVoxel = ACTIVATION_COPIES * activationsPerVoxel(p.network) + patchMatrixPerVoxel(p.network);
  return FLOAT * (PARAM_COPIES * paramCount(p.network) + perVoxel * voxels);
}

export function estimateRun(p: RunShape): RunEstimate {
  // Runs step in turn: one run's activations at a time, every run's weights and Adam state.
  const others = (p.runs - 1) * FLOAT * PARAM_COPIES * paramCount(p.network);
  const data = FLOAT * p.size ** 3 * (DEFAULT_SPECS[p.network].inChannels + 1);
  const bytes = stepBytes(p) + others + data;
  const limitBytes = MEMORY_LIMIT_BYTES[p.backend];
  // What this device measured, else the wasm step-cost model scaled by the backend's slowdown measured here
  // (software WebGL/WebGPU: a real GPU is much faster, and auto's timing then says so).
  const msPerStep = p.measuredMsPerStep ?? stepCostMs(p);
  const problems: string[] = [];
  if (bytes > limitBytes)
    problems.push(`needs about ${formatBytes(bytes)}, more than ${p.backend} can usually hold (${formatBytes(limitBytes)})`);
  if (msPerStep > SLOW_STEP_MS) problems.push(`takes about ${formatMs(msPerStep)} per step on ${p.backend}`);
  return {
    bytes,
    limitBytes,
    msPerStep,
    totalMs: msPerStep * p.steps * p.runs,
    fits: problems.length === 0,
    tooBig: bytes > limitBytes,
    problems,
    suggestion: suggest(p),
  };
}

function suggest(p: RunShape): string {
  const tips: string[] = [];
  if (p.patch > 32) tips.push(`a smaller patch (${p.patch} -> ${Math.max(16, Math.floor(p.patch / 2 / 8) * 8)})`);
  if (p.batch > 1) tips.push(`a smaller batch (${p.batch} -> ${Math.max(1, Math.floor(p.batch / 4))})`);
  if (p.network.endsWith('3d')) tips.push('a 2D network (a 3D patch holds its side times more voxels)');
  if (p.runs > 2) tips.push(`fewer losses at once (${p.runs} now)`);
  return tips.length ? `Try ${tips.join(', ')}.` : 'Close other tabs that use much memory.';
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(b >= 10 * 2 ** 30 ? 0 : 1)} GB`;
  return `${Math.max(1, Math.round(b / 2 ** 20))} MB`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}

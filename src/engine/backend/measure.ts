// `auto` by measurement: which backends are usable here (hardware WebGPU, wasm, WebGL on a hardware
// renderer), a remembered choice when this device matches, else the page's network timed on each and
// the fastest activated. With one candidate nothing is timed, so start-up costs only the two probes.
import type { BackendName, GpuKind } from '../../domain/backends';
import type { NetworkKind } from '../../domain/networks';
import {
  type BackendAttempt,
  type BackendReport,
  type ChosenBy,
  type MeasuredBackend,
  probeWebGpuAdapter,
  selectBackend,
  trySetBackend,
} from './backend';
import { fastest, measureCandidates } from './measure-steps';
import type { WasmThreads } from './wasm-setup';

/** What the page remembers per device and network: the choice and the figures behind it. */
export interface RememberedChoice {
  deviceKey: string;
  network: string;
  backend: BackendName;
  measured: MeasuredBackend[];
}

export interface DeviceProbe {
  adapter: BackendReport['adapter'] | null;
  /** The unmasked WebGL renderer string, null when no WebGL context could be made. */
  webglRenderer: string | null;
  cores: number;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render driver/i;

/** True for renderers that run the GPU's work on the CPU (slower than wasm for these nets). */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/**
 * The backends auto may time here, in the order timed (wasm first: a tight bound for the rest; webgl
 * before webgpu, whose abandoned warm-up would still load the GPU), and
 * why each other one is left out. `includeSoftware` (the page's _measure=all) admits software ones.
 */
export function autoCandidates(
  probe: DeviceProbe,
  opts: { includeSoftware?: boolean } = {},
): { candidates: BackendName[]; skipped: MeasuredBackend[] } {
  const soft = opts.includeSoftware === true;
  const candidates: BackendName[] = ['wasm'];
  const skipped: MeasuredBackend[] = [];
  const r = probe.webglRenderer;
  if (r === null) skipped.push({ name: 'webgl', skipped: 'no WebGL context' });
  else if (isSoftwareRenderer(r) && !soft)
    skipped.push({ name: 'webgl', skipped: `software renderer (${shortRenderer(r)}), skipped` });
  else candidates.push('webgl');
  const a = probe.adapter;
  if (!a) skipped.push({ name: 'webgpu', skipped: 'no WebGPU adapter' });
  else if (a.isFallback && !soft)
    skipped.push({ name: 'webgpu', skipped: `software adapter (${a.architecture || 'fallback'}), skipped` });
  else candidates.push('webgpu');
  return { candidates, skipped };
}

/** A GPU backend's kind: webgpu from its adapter, webgl from the renderer string; undefined for wasm and cpu. */
export function gpuKind(
  active: BackendName,
  adapter: BackendReport['adapter'] | undefined,
  renderer: () => string | null,
): GpuKind | undefined {
  if (active === 'webgpu') return adapter ? (adapter.isFallback ? 'software' : 'hardware') : undefined;
  if (active !== 'webgl') return undefined;
  const r = renderer();
  return r === null ? undefined : isSoftwareRenderer(r) ? 'software' : 'hardware';
}

/** "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) ...), SwiftShader driver)" -> "SwiftShader". */
function shortRenderer(r: string): string {
  return r.match(SOFTWARE_RENDERER)?.[0] ?? r.slice(0, 40);
}

/** What a remembered choice is bound to: the adapter and the renderer (the cores are recorded, not compared). */
export function deviceKey(probe: DeviceProbe): string {
  const a = probe.adapter;
  const gpu = a ? `${a.vendor}/${a.architecture}${a.isFallback ? ' (fallback)' : ''}` : 'none';
  return `webgpu:${gpu}|webgl:${probe.webglRenderer ?? 'none'}|cores:${probe.cores}`;
}

/**
 * Whether a remembered device key is this device: the same adapter and renderer except where this load's
 * probe read none (a page reloaded before the old one freed its WebGL contexts reads no renderer; that is not
 * another device). A key remembered without a GPU never matches one probed with it. The cores are not
 * compared: the choices live in this browser's storage, on one machine, and a virtual machine's visible CPU
 * count can change between two loads (seen here: 2, then 4, a minute apart); "Measure again" re-times.
 */
export function sameDevice(remembered: string, current: string): boolean {
  const parts = (key: string) =>
    Object.fromEntries(key.split('|').map((kv) => [kv.slice(0, kv.indexOf(':')), kv.slice(kv.indexOf(':') + 1)]));
  const r = parts(remembered);
  const c = parts(current);
  return ['webgpu', 'webgl'].every((k) => r[k] === c[k] || c[k] === 'none');
}

/** The WebGL renderer, read in this thread from an OffscreenCanvas (null where there is none). */
export function probeWebGlRenderer(): string | null {
  const Canvas = (globalThis as { OffscreenCanvas?: typeof OffscreenCanvas }).OffscreenCanvas;
  if (!Canvas) return null;
  try {
    const canvas = new Canvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    // One context fewer against the browser's limit (tfjs makes its own).
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

export async function probeDevice(): Promise<DeviceProbe> {
  const adapter = await probeWebGpuAdapter().catch(() => null);
  const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
  return { adapter, webglRenderer: probeWebGlRenderer(), cores };
}

export interface AutoParams {
  network: NetworkKind;
  batch: number;
  patch?: number;
  remembered?: readonly RememberedChoice[];
  /** Software backends count as usable (the page's _measure=all: shows the mechanism on any machine). */
  includeSoftware?: boolean;
  wasmThreads?: boolean;
  timedSteps?: number;
  bound?: number;
  /** Told, before any timing starts, whether candidates will be timed (other work should wait if so). */
  onPlan?: (plan: { measuring: boolean }) => void;
  /** Awaited before the first backend is timed: work already running elsewhere here (the page's phantom helpers) ends first. */
  beforeTiming?: () => Promise<void>;
  /** A probe already under way (the engine worker starts one before the page asks), or tests' own. */
  probe?: DeviceProbe | Promise<DeviceProbe>;
  candidates?: readonly BackendName[];
}

/** Activates the backend auto picks and says how it picked it. */
export async function autoBackend(p: AutoParams): Promise<BackendReport> {
  let wasm: WasmThreads | undefined;
  const activate = async (name: BackendName) => {
    const w = await trySetBackend(name, p.wasmThreads ?? true);
    if (w) wasm = w;
  };
  // wasm is always a candidate (and timed first): its fetch and compile overlap the probes. A failure
  // shows again where wasm is activated next.
  const early = p.candidates && !p.candidates.includes('wasm') ? null : activate('wasm').catch(() => undefined);
  const probe = await (p.probe ?? probeDevice());
  const key = deviceKey(probe);
  const rule = autoCandidates(probe, { includeSoftware: p.includeSoftware });
  const candidates = p.candidates ?? rule.candidates;
  const skipped = rule.skipped.filter((s) => !candidates.includes(s.name));
  const remembered = p.remembered?.find(
    (r) => sameDevice(r.deviceKey, key) && r.network === p.network && candidates.includes(r.backend),
  );
  // Known from the probe alone: other work may start while wasm is still compiling.
  p.onPlan?.({ measuring: !remembered && candidates.length > 1 });
  await early;
  let chosen: BackendName | null;
  let chosenBy: ChosenBy;
  let measured: MeasuredBackend[];
  if (remembered) [chosen, chosenBy, measured] = [remembered.backend, 'remembered', remembered.measured];
  else if (candidates.length === 1) [chosen, chosenBy, measured] = [candidates[0], 'only-one', skipped];
  else {
    await p.beforeTiming?.();
    const timed = await measureCandidates({ ...p, candidates, activate });
    [chosen, chosenBy, measured] = [fastest(timed), 'measured', [...timed, ...skipped]];
  }
  const attempts: BackendAttempt[] = skipped.map((s) => ({ name: s.name, ok: false, error: s.skipped }));
  const base = {
    requested: 'auto' as const,
    chosenBy,
    measured,
    deviceKey: key,
    ...(probe.adapter ? { adapter: probe.adapter } : {}),
  };
  if (chosen) {
    try {
      await activate(chosen);
      attempts.push({ name: chosen, ok: true });
      return { ...base, active: chosen, attempts, ...(chosen === 'wasm' && wasm ? { wasm } : {}) };
    } catch (err) {
      attempts.push({ name: chosen, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  // Nothing timed or the winner failed to come back: the fixed order, less the one that just failed.
  const order = (['wasm', 'webgl', 'cpu'] as const).filter((b) => b !== chosen);
  const fallback = await selectBackend({ requested: 'auto', order, wasmThreads: p.wasmThreads });
  return { ...fallback, ...base, attempts: [...attempts, ...fallback.attempts], active: fallback.active };
}

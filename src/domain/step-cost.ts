// One model of a training step's time, for the run estimate, the sweep estimate and the fallback ranking:
// the wasm cost measured per network, times each backend's slowdown measured here (2 CPU cores, software
// WebGL/WebGPU). The plain cpu backend's slowdown depends on the network (its convolutions' gradients are
// plain JS loops, the wasm ones XNNPACK), so it is per network.
import type { BackendName, GpuKind } from './backends';
import type { NetworkKind } from './network-spec';

/** wasm ms per training step of one run: fixed + perVoxel x (voxels per patch x batch). */
const WASM_COST: Record<NetworkKind, { fixed: number; perVoxel: number }> = {
  unet2d: { fixed: 14, perVoxel: 0.003 },
  twopath2d: { fixed: 8, perVoxel: 0.014 },
  unet3d: { fixed: 45, perVoxel: 0.0005 },
  highres3d: { fixed: 60, perVoxel: 0.012 },
};

/** Step time relative to wasm, measured here (docs/benchmarks.md: reference net, software WebGL/WebGPU). */
export const BACKEND_SLOWDOWN: Record<Exclude<BackendName, 'cpu'>, number> = { wasm: 1, webgl: 29, webgpu: 95 };

/**
 * The plain cpu backend against the wasm model, per network, at the playground's patches (batch 4 in 2D, 2 in
 * 3D): `npm run bench:step-cost -- --backend cpu` prints the measured step over the wasm model ("x wasm model"):
 * 256, 218, 67 and 51 on the idle 2-core machine (longest kernels: 2.6 s, 17.5 s, 0.3 s and 2.0 s).
 */
export const CPU_SLOWDOWN: Record<NetworkKind, number> = { unet2d: 250, twopath2d: 220, unet3d: 65, highres3d: 50 };

/**
 * A backend's step time over wasm's. The webgl and webgpu figures are software GPUs' (all this machine has): on a
 * hardware GPU (`gpu`) nothing was measured here, so it is taken as wasm's until the device's own steps are recorded.
 */
export function slowdown(backend: BackendName, network: NetworkKind, gpu?: GpuKind): number {
  if (gpu === 'hardware' && (backend === 'webgl' || backend === 'webgpu')) return 1;
  return backend === 'cpu' ? CPU_SLOWDOWN[network] : BACKEND_SLOWDOWN[backend];
}

/** The wasm model's ms per step. */
export function wasmStepMs(p: { network: NetworkKind; patch: number; batch: number }): number {
  const voxels = p.patch ** (p.network.endsWith('3d') ? 3 : 2) * p.batch;
  const c = WASM_COST[p.network];
  return c.fixed + c.perVoxel * voxels;
}

/** Expected ms per training step of one run on a backend. */
export function stepCostMs(p: {
  network: NetworkKind;
  patch: number;
  batch: number;
  backend: BackendName;
  gpu?: GpuKind;
}): number {
  return wasmStepMs(p) * slowdown(p.backend, p.network, p.gpu);
}

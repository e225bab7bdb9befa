// Makes tfjs's wasm backend train conv nets: registers, for 'wasm' only, the kernels it lacks
// (Conv2DBackpropFilter), runs slowly (Conv2DBackpropInput, Conv3D, Slice/SplitV, Tile, reductions
// over leading axes, transposed or thin BatchMatMul) or computes wrongly (MaxPoolGrad, MaxPool3D,
// MaxPool3DGrad, Conv3DBackpropFilterV2, Conv3DBackpropInputV2), built from its fast ones or generated
// as SIMD code (the filter gradients, the 3D conv). Also
// registers the conv3dTranspose gradient tfjs-core lacks (for every backend).
import '@tensorflow/tfjs-backend-wasm';

import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs';

import { registerConv3dTransposeGradient } from './conv3d-transpose-grad';
import { conv2dGradKernels } from './wasm-conv2d-grads';
import { conv3dKernels } from './wasm-conv3d';
import { layoutKernels, rememberStockKernel } from './wasm-layout';
import { matMulKernels } from './wasm-matmul';
import { poolKernels } from './wasm-pool';

/** Every kernel this module registers for the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  ...conv2dGradKernels,
  ...conv3dKernels,
  ...poolKernels,
  ...layoutKernels,
  ...matMulKernels,
];

// Stock configs replaced by ours (undefined where wasm had none), kept to restore them.
let replaced: Map<string, KernelConfig | undefined> | null = null;

/** Registers the training kernels for 'wasm' (idempotent). Does not touch other backends. */
export function registerWasmTrainingKernels(): void {
  registerConv3dTransposeGradient();
  if (replaced) return;
  replaced = new Map();
  for (const config of WASM_TRAINING_KERNELS) {
    const stock = getKernel(config.kernelName, 'wasm');
    replaced.set(config.kernelName, stock);
    if (stock) {
      rememberStockKernel(stock);
      unregisterKernel(config.kernelName, 'wasm');
    }
    // Keep the stock setup (its cwrap bindings): the backend may initialise only after this call,
    // and our wrappers, or a later restore, still call the stock kernel.
    registerKernel(stock?.setupFunc ? { ...config, setupFunc: stock.setupFunc } : config);
  }
}

/** Puts wasm's stock kernels back (benchmarks compare against them). */
export function restoreStockWasmKernels(): void {
  if (!replaced) return;
  for (const [name, stock] of replaced) {
    unregisterKernel(name, 'wasm');
    if (stock) registerKernel(stock);
  }
  replaced = null;
}

export function wasmTrainingKernelsRegistered(): boolean {
  return replaced !== null;
}

// The engine's public surface, shared by the worker and the in-thread client. Plain data only:
// every argument and result must survive structured cloning.
import type { BackendChoice, BackendReport } from './train/backend';

export interface VolumeData {
  name: string;
  dims: [number, number, number];
  spacing: [number, number, number];
  /** Row-major 4x4 voxel -> world (mm). */
  affine: number[];
  data: Float32Array;
}

export interface EngineApi {
  /** Selects the backend; call before anything that computes. */
  init(req: { backend?: BackendChoice }): Promise<BackendReport>;
  /** A tiny matmul, proof that tensors flow through the chosen backend. */
  matmul(req: { a: number[][]; b: number[][] }): Promise<{ result: number[][]; backend: string }>;
  /** Volume to show before any data is chosen. */
  demoVolume(req: { size?: number }): Promise<VolumeData>;
}

/** Events the engine emits; it never knows who listens. */
export interface EngineEvents {
  log: { level: 'info' | 'warn' | 'error'; message: string };
}

export type EngineMethod = keyof EngineApi;
export type EngineEventName = keyof EngineEvents;
export type Emit = <K extends EngineEventName>(name: K, payload: EngineEvents[K]) => void;

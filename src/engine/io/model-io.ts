// Models in the tfjs format (model.json + one weights file) without a file system or network:
// saving through tf.io.withSaveHandler, loading from bytes through tf.io.fromMemory. Checkpoints
// live in a store by id and can seed a fresh network's weights (warm start).
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../domain/errors';
import { countParams } from '../networks';
import type { NetworkKind } from '../../domain/network-spec';
import { SPATIAL_DIMS } from '../../domain/network-spec';

/** What a checkpoint says about itself (model.json userDefinedMetadata, and the model's shapes). */
export interface CheckpointInfo {
  id: string;
  network: NetworkKind;
  inChannels: number;
  numClasses: number;
  params: number;
  /** Modalities in channel order, when the checkpoint recorded them. */
  modalities?: string[];
}

export interface ModelFiles {
  /** The model.json text. */
  modelJson: string;
  /** The weights file its manifest names. */
  weights: Uint8Array;
}

/** model.json + weights for a model; `weightsName` is the weights file name written into the manifest. */
export async function saveModelFiles(params: {
  model: tf.LayersModel;
  weightsName?: string;
  metadata?: Record<string, unknown>;
}): Promise<ModelFiles> {
  const { model, weightsName = 'weights.bin', metadata } = params;
  let artifacts: tf.io.ModelArtifacts | null = null;
  if (metadata) model.setUserDefinedMetadata(metadata);
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const a = artifacts as tf.io.ModelArtifacts | null;
  if (!a?.modelTopology || !a.weightSpecs || !a.weightData) throw new Error('the model saved no topology or weights');
  const json: tf.io.ModelJSON = {
    modelTopology: a.modelTopology,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [weightsName], weights: a.weightSpecs }],
    ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
  };
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData));
  return { modelJson: JSON.stringify(json), weights };
}

function bufferOf(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Why a functional model's layer graph cannot be rebuilt, or null. tfjs's deserializer waits forever for a
 * layer that an inbound node names but the model lacks (a hang, not an error), so every name is checked here.
 */
function topologyProblem(topology: unknown): string | null {
  const t = topology as { config?: { layers?: unknown; input_layers?: unknown; output_layers?: unknown } };
  const layers = t?.config?.layers;
  if (!Array.isArray(layers)) return null; // a Sequential or other topology: tfjs checks it itself
  const names = new Set<string>();
  for (const [i, l] of layers.entries()) {
    const name = (l as { name?: unknown })?.name;
    if (typeof name !== 'string' || names.has(name)) return `layer ${i} has no name or a name used twice`;
    names.add(name);
  }
  const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const l of layers as { name: string; inbound_nodes?: unknown }[]) {
    for (const node of refs(l.inbound_nodes))
      for (const ref of refs(node)) {
        const from = Array.isArray(ref) ? ref[0] : undefined;
        if (typeof from !== 'string' || !names.has(from))
          return `layer '${l.name.slice(0, 60)}' takes its input from '${String(from).slice(0, 60)}', which is not a layer of the model`;
      }
  }
  for (const key of ['input_layers', 'output_layers'] as const)
    for (const ref of refs(t.config?.[key]))
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !names.has(ref[0]))
        return `${key} names '${String(Array.isArray(ref) ? ref[0] : ref).slice(0, 60)}', which is not a layer of the model`;
  return null;
}

/** Parses a model.json and checks that the weights file has the bytes its manifest asks for. */
export function parseModelJson(text: string, weightsBytes: number): tf.io.ModelJSON {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineError('invalid-request', `model.json is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new EngineError('invalid-request', 'model.json has no modelTopology or weightsManifest: not a tfjs layers model');
  if (!json.weightsManifest.every((g) => g && typeof g === 'object' && Array.isArray(g.weights)))
    throw new EngineError('invalid-request', 'model.json: every weightsManifest group needs a weights list');
  const broken = topologyProblem(json.modelTopology);
  if (broken) throw new EngineError('invalid-request', `model.json: ${broken}`);
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  // Each weight needs a name, a dtype this loader knows and a shape of non-negative integers.
  const bad = specs.find(
    (w) =>
      !w ||
      typeof w.name !== 'string' ||
      !['float32', 'int32', 'bool'].includes(w.dtype) ||
      !Array.isArray(w.shape) ||
      !w.shape.every((v) => Number.isInteger(v) && v >= 0),
  );
  if (bad !== undefined)
    throw new EngineError(
      'invalid-request',
      `model.json: weight ${JSON.stringify(bad)?.slice(0, 80)} lacks a name, a known dtype or a valid shape`,
    );
  const bytesPer: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
  const need = specs.reduce((s, w) => s + (bytesPer[w.dtype] ?? 4) * w.shape.reduce((a, v) => a * v, 1), 0);
  if (specs.some((w) => w.quantization)) throw new EngineError('unsupported', 'quantized weights are not supported');
  if (need !== weightsBytes)
    throw new EngineError('invalid-request', `the weights file has ${weightsBytes} bytes, model.json describes ${need}`);
  return json;
}

/** Loads a layers model from model.json text and its (single, or concatenated) weights bytes. */
export async function loadModelFiles(files: { modelJson: string; weights: ArrayBuffer | Uint8Array }): Promise<tf.LayersModel> {
  const buffer = bufferOf(files.weights);
  const json = parseModelJson(files.modelJson, buffer.byteLength);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: buffer,
        userDefinedMetadata: (json as { userDefinedMetadata?: Record<string, unknown> }).userDefinedMetadata,
      }),
    );
  } catch (err) {
    // tfjs's deserializer fails deep inside on a damaged topology: its own errors (ValueError) say what was
    // wrong; a TypeError or RangeError from its internals says nothing to a user, so name the part instead.
    const internal = !(err instanceof Error) || err instanceof TypeError || err instanceof RangeError;
    const why = internal ? 'a layer, its config or its connections are damaged' : err.message.slice(0, 160);
    throw new Error(`model.json: the model's layers could not be rebuilt (${why})`);
  }
}

/** Network kind, channels and classes of a loaded model (its name is the network kind). */
export function describeModel(id: string, model: tf.LayersModel): CheckpointInfo {
  const network = model.name as NetworkKind;
  if (!(network in SPATIAL_DIMS))
    throw new EngineError(
      'invalid-request',
      `checkpoint ${id}: model ${JSON.stringify(model.name)?.slice(0, 60)} is not one of the playground's networks`,
    );
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  const meta = model.getUserDefinedMetadata() as { modalities?: unknown } | undefined;
  const modalities = Array.isArray(meta?.modalities) ? meta.modalities.map(String) : undefined;
  return {
    id,
    network,
    inChannels: inShape[inShape.length - 1] ?? 0,
    numClasses: outShape[outShape.length - 1] ?? 0,
    params: countParams(model),
    ...(modalities ? { modalities } : {}),
  };
}

function shapesMatch(a: tf.Tensor[], b: tf.Tensor[]): string | null {
  if (a.length !== b.length) return `${a.length} weight tensors, the network has ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].shape.join('x') !== b[i].shape.join('x')) return `weight ${i} is [${a[i].shape}], the network's is [${b[i].shape}]`;
  }
  return null;
}

/** Loaded checkpoints by id; owns their models. */
export class CheckpointStore {
  private readonly entries = new Map<string, { model: tf.LayersModel; info: CheckpointInfo }>();

  async load(params: { id: string; modelJson: string; weights: ArrayBuffer | Uint8Array }): Promise<CheckpointInfo> {
    const model = await loadModelFiles(params);
    let info: CheckpointInfo;
    try {
      info = describeModel(params.id, model);
    } catch (err) {
      model.dispose();
      throw err;
    }
    this.entries.get(params.id)?.model.dispose();
    this.entries.set(params.id, { model, info });
    return info;
  }

  get(id: string): { model: tf.LayersModel; info: CheckpointInfo } {
    const e = this.entries.get(id);
    if (!e) throw new EngineError('not-found', `checkpoint '${id}' is not loaded`);
    return e;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Copies a checkpoint's weights into a model of the same network (warm start); explains any mismatch. */
  applyTo(id: string, model: tf.LayersModel): void {
    const { model: src, info } = this.get(id);
    if (model.name !== info.network)
      throw new EngineError('invalid-request', `checkpoint ${id} is a ${info.network}, the runs use ${model.name}`);
    const weights = src.getWeights();
    const problem = shapesMatch(weights, model.getWeights());
    if (problem) {
      const ch = model.inputs[0].shape.at(-1);
      const k = model.outputs[0].shape.at(-1);
      const why =
        ch !== info.inChannels
          ? `it takes ${info.inChannels} image channels, the data have ${ch}`
          : k !== info.numClasses
            ? `it predicts ${info.numClasses} classes, the data have ${k}`
            : problem;
      throw new EngineError('invalid-request', `checkpoint ${id} does not fit this network: ${why}`);
    }
    model.setWeights(weights);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.model.dispose();
    this.entries.clear();
  }
}

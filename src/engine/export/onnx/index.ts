// The browser's weights as an ONNX model (opset 13) for inference anywhere: written here, in the page,
// without PyTorch. Input "image" [batch, channels, (D,) H, W], output "probabilities" (the softmax);
// batch and spatial sizes are dynamic (U-Nets: multiples of 2^depth).
import type { WeightIndex } from '../weights';
import { networkGraph } from './networks';
import { encodeModel } from './onnx-proto';

export { ONNX_INPUT, ONNX_OUTPUT } from './networks';
export { OPSET } from './onnx-proto';

/** The .onnx file of a network from its exported weights (weights.ts's index and bytes). */
export function onnxModel(p: { index: WeightIndex; bin: Uint8Array; producerVersion: string }): Uint8Array {
  const bin = p.bin.byteOffset % 4 ? p.bin.slice() : p.bin; // a Float32Array view needs 4-byte alignment
  const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  const byName = new Map(p.index.weights.map((w) => [w.name, w]));
  const weight = (name: string) => {
    const w = byName.get(name);
    if (!w) throw new Error(`ONNX export: the ${p.index.spec.kind} weights have no '${name}'`);
    const size = w.shape.reduce((a, b) => a * b, 1);
    return { shape: w.shape, data: floats.subarray(w.offset, w.offset + size) };
  };
  const graph = networkGraph(p.index.spec, weight);
  return encodeModel(graph, {
    name: 'segmentation-loss-playground',
    version: p.producerVersion,
    doc: `${p.index.spec.kind}: input "image" [batch, channels, ...space], z-scored; output "probabilities" [batch, classes, ...space]`,
  });
}

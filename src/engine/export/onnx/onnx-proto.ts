// ONNX's ModelProto as plain data, and its encoding (field numbers from onnx/onnx.proto, IR version 7,
// the one that goes with opset 13).
import { ProtoWriter } from './protobuf';

export type Attribute = { name: string } & ({ int: number } | { ints: number[] } | { float: number });

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: Attribute[];
}

export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** A float tensor's shape: numbers are fixed sizes, strings named (dynamic) ones. */
export interface ValueInfo {
  name: string;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: Initializer[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export const IR_VERSION = 7;
export const OPSET = 13;
const FLOAT = 1;
const ATTR = { float: 1, int: 2, ints: 7 } as const;

function attribute(w: ProtoWriter, a: Attribute): void {
  w.string(1, a.name);
  if ('int' in a) w.int(20, ATTR.int).int(3, a.int);
  else if ('ints' in a) w.int(20, ATTR.ints).ints(8, a.ints);
  else w.int(20, ATTR.float).float(2, a.float);
}

function node(w: ProtoWriter, n: OnnxNode): void {
  w.strings(1, n.inputs).strings(2, n.outputs).string(3, n.name).string(4, n.op);
  for (const a of n.attributes ?? []) w.message(5, (m) => attribute(m, a));
}

function tensor(w: ProtoWriter, t: Initializer): void {
  // raw_data is little-endian, as a Float32Array is on every platform the page runs on.
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  w.ints(1, t.dims).int(2, FLOAT).string(8, t.name).bytes(9, raw);
}

function valueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tt) => {
      tt.int(1, FLOAT);
      tt.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** The model's bytes (a .onnx file). */
export function encodeModel(graph: OnnxGraph, producer: { name: string; version: string; doc?: string }): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION).string(2, producer.name).string(3, producer.version);
  if (producer.doc) w.string(6, producer.doc);
  w.message(7, (g) => {
    for (const n of graph.nodes) g.message(1, (m) => node(m, n));
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (m) => tensor(m, t));
    for (const v of graph.inputs) g.message(11, (m) => valueInfo(m, v));
    for (const v of graph.outputs) g.message(12, (m) => valueInfo(m, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, OPSET));
  return w.finish();
}

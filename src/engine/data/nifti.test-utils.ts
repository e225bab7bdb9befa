// Hand-built NIfTI files for the tests, written field by field with a DataView: independent of
// writeNifti, so the reader is checked against the standard's layout rather than against our writer.
// Also the real fixtures and nibabel's expected values for them.
import { readFileSync } from 'node:fs';

export interface HandBuilt {
  version?: 1 | 2;
  littleEndian?: boolean;
  dims: number[];
  datatypeCode: number;
  bitpix?: number;
  /** Raw voxel bytes in the file's endianness are produced from these values by `encode`. */
  values: number[];
  pixdim?: number[];
  voxOffset?: number;
  slope?: number;
  inter?: number;
  qformCode?: number;
  sformCode?: number;
  quatern?: [number, number, number];
  qoffset?: [number, number, number];
  srow?: number[];
  magic?: string;
  intentCode?: number;
  intentName?: string;
  intentParams?: [number, number, number];
  xyztUnits?: number;
  description?: string;
}

const WIDTH: Record<number, number> = { 2: 1, 256: 1, 4: 2, 512: 2, 8: 4, 768: 4, 16: 4, 64: 8, 128: 3, 32: 8 };

function encode(view: DataView, at: number, code: number, v: number, le: boolean): void {
  switch (code) {
    case 2:
      view.setUint8(at, v);
      return;
    case 256:
      view.setInt8(at, v);
      return;
    case 4:
      view.setInt16(at, v, le);
      return;
    case 512:
      view.setUint16(at, v, le);
      return;
    case 8:
      view.setInt32(at, v, le);
      return;
    case 768:
      view.setUint32(at, v, le);
      return;
    case 16:
      view.setFloat32(at, v, le);
      return;
    case 64:
      view.setFloat64(at, v, le);
      return;
    default:
      view.setUint8(at, v & 255);
      return;
  }
}

/** A complete single-file NIfTI-1 or -2 image as bytes. */
export function handBuiltNifti(o: HandBuilt): Uint8Array {
  const v1 = (o.version ?? 1) === 1;
  const le = o.littleEndian ?? true;
  const hdr = v1 ? 348 : 540;
  const offset = o.voxOffset ?? (v1 ? 352 : 544);
  const width = WIDTH[o.datatypeCode] ?? 1;
  const out = new Uint8Array(Math.max(offset, hdr + 4) + o.values.length * width);
  const view = new DataView(out.buffer);
  const pixdim = o.pixdim ?? [1, 1, 1, 1, 1, 1, 1, 1];
  const dims = [o.dims.length, ...o.dims, ...Array(7 - o.dims.length).fill(1)];
  const srow = o.srow ?? Array(12).fill(0);
  const str = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  view.setInt32(0, hdr, le);
  if (v1) {
    dims.forEach((d, k) => {
      view.setInt16(40 + 2 * k, d, le);
    });
    view.setInt16(70, o.datatypeCode, le);
    view.setInt16(72, o.bitpix ?? 8 * width, le);
    pixdim.forEach((p, k) => {
      view.setFloat32(76 + 4 * k, p, le);
    });
    view.setFloat32(108, offset, le);
    view.setFloat32(112, o.slope ?? 0, le);
    view.setFloat32(116, o.inter ?? 0, le);
    view.setInt16(252, o.qformCode ?? 0, le);
    view.setInt16(254, o.sformCode ?? 0, le);
    (o.quatern ?? [0, 0, 0]).forEach((q, k) => {
      view.setFloat32(256 + 4 * k, q, le);
    });
    (o.qoffset ?? [0, 0, 0]).forEach((q, k) => {
      view.setFloat32(268 + 4 * k, q, le);
    });
    srow.forEach((s, k) => {
      view.setFloat32(280 + 4 * k, s, le);
    });
    str(344, o.magic ?? 'n+1\0');
    (o.intentParams ?? [0, 0, 0]).forEach((p, k) => {
      view.setFloat32(56 + 4 * k, p, le);
    });
    view.setInt16(68, o.intentCode ?? 0, le);
    view.setUint8(123, o.xyztUnits ?? 0);
    str(148, o.description ?? '');
    str(328, o.intentName ?? '');
  } else {
    str(4, o.magic ?? 'n+2\0\r\n\x1a\n');
    view.setInt16(12, o.datatypeCode, le);
    view.setInt16(14, o.bitpix ?? 8 * width, le);
    dims.forEach((d, k) => {
      view.setBigInt64(16 + 8 * k, BigInt(d), le);
    });
    pixdim.forEach((p, k) => {
      view.setFloat64(104 + 8 * k, p, le);
    });
    view.setBigInt64(168, BigInt(offset), le);
    view.setFloat64(176, o.slope ?? 0, le);
    view.setFloat64(184, o.inter ?? 0, le);
    view.setInt32(344, o.qformCode ?? 0, le);
    view.setInt32(348, o.sformCode ?? 0, le);
    (o.quatern ?? [0, 0, 0]).forEach((q, k) => {
      view.setFloat64(352 + 8 * k, q, le);
    });
    (o.qoffset ?? [0, 0, 0]).forEach((q, k) => {
      view.setFloat64(376 + 8 * k, q, le);
    });
    srow.forEach((s, k) => {
      view.setFloat64(400 + 8 * k, s, le);
    });
    (o.intentParams ?? [0, 0, 0]).forEach((p, k) => {
      view.setFloat64(80 + 8 * k, p, le);
    });
    view.setInt32(500, o.xyztUnits ?? 0, le);
    view.setInt32(504, o.intentCode ?? 0, le);
    str(240, o.description ?? '');
    str(508, o.intentName ?? '');
  }
  for (let i = 0; i < o.values.length; i++) encode(view, offset + i * width, o.datatypeCode, o.values[i], le);
  return out;
}

/** Row-major 4x4 product a * b. */
export function matmul4(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) for (let k = 0; k < 4; k++) out[4 * r + c] += a[4 * r + k] * b[4 * k + c];
  return out;
}

/** Rotation about z by `deg` degrees, then scaling, then translation, as a row-major affine. */
export function exampleAffine(params: { deg: number; scale: number[]; shift: number[]; flipX?: boolean }): number[] {
  const t = (params.deg * Math.PI) / 180;
  const [sx, sy, sz] = params.scale;
  const f = params.flipX ? -1 : 1;
  const rot = [Math.cos(t), -Math.sin(t), 0, 0, Math.sin(t), Math.cos(t), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const scale = [f * sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1];
  const m = matmul4(rot, scale);
  m[3] = params.shift[0];
  m[7] = params.shift[1];
  m[11] = params.shift[2];
  return m;
}

/** The real and nibabel-written files in tests/fixtures/nifti (see its README). */
export const FIXTURE_DIR = new URL('../../../tests/fixtures/nifti/', import.meta.url);

export function readFixture(name: string): Uint8Array {
  const b = readFileSync(new URL(name, FIXTURE_DIR));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(); // a plain Uint8Array of its own
}

/** What scripts/nibabel-expected.py wrote: nibabel's view of each fixture. */
export interface NibabelExpected {
  image: string | null;
  refused?: string;
  nibabelClass: string;
  shape: number[];
  datatypeCode: number;
  dtype: string;
  littleEndian: boolean;
  sizeofHdr: number;
  affine: number[];
  pixdim: number[];
  description: string;
  slope: number | null;
  inter: number | null;
  qformCode?: number;
  sformCode?: number;
  quatern?: number[];
  qoffset?: number[];
  srow?: number[];
  qformAffine?: number[];
  xyztUnits?: number;
  timeUnit?: string;
  intentCode?: number;
  intentName?: string;
  voxOffset?: number;
  stats: {
    sum: number;
    absSum: number;
    min: number;
    max: number;
    samples: { index: number[]; flat: number; value: number }[];
  };
}

export function nibabelExpected(): Record<string, NibabelExpected> {
  return JSON.parse(readFileSync(new URL('expected.json', FIXTURE_DIR), 'utf8')).files;
}

// The NIfTI header fields a Volume carries from the file it was read from, so that writing it back
// keeps them (orientation as stored, timing, intent, text). Plain data: no imports.

export interface NiftiMeta {
  /** Xform codes: 0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI-152. */
  qformCode: number;
  sformCode: number;
  /** quatern_b, quatern_c, quatern_d as stored. */
  quatern: [number, number, number];
  /** qoffset_x, qoffset_y, qoffset_z as stored. */
  qoffset: [number, number, number];
  /** srow_x, srow_y, srow_z (12 numbers) as stored. */
  srow: number[];
  /** pixdim[0..7] as stored: [0] qfac, [1..3] voxel size, [4] TR (in the time unit of xyztUnits). */
  pixdim: number[];
  /** xyzt_units: space unit in bits 0-2 (2 = mm), time unit in bits 3-5 (8 = s, 16 = ms, 24 = us). */
  xyztUnits: number;
  intentCode: number;
  /** intent_name, 15 ASCII characters at most. */
  intentName: string;
  /** intent_p1, intent_p2, intent_p3. */
  intentParams: [number, number, number];
  /** descrip, 79 ASCII characters at most. */
  description: string;
}

/** A copy of the meta fields of a parsed header (arrays copied, so editing one never edits the other). */
export function pickMeta(h: NiftiMeta): NiftiMeta {
  return {
    qformCode: h.qformCode,
    sformCode: h.sformCode,
    quatern: [...h.quatern],
    qoffset: [...h.qoffset],
    srow: [...h.srow],
    pixdim: [...h.pixdim],
    xyztUnits: h.xyztUnits,
    intentCode: h.intentCode,
    intentName: h.intentName,
    intentParams: [...h.intentParams],
    description: h.description,
  };
}

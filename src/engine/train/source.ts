// What the trainer needs from data, as plain typed arrays (no tf): the trainer makes the tensors.

export interface ArrayBatch {
  /** Images, channels-last [B, H, W, C] or [B, D, H, W, C]. */
  x: Float32Array;
  xShape: number[];
  /** One-hot labels with the same spatial shape and numClasses channels. */
  y: Float32Array;
  yShape: number[];
  /** Snapshots of 3D inputs: the depth index whose slice is shown. */
  pick?: number;
  /** Validation batches: where they lie in their subject, for the challenge metrics. */
  grid?: SubjectGrid;
}

/** A subject's grid and which of its axial slices a batch holds (item b of a 2D batch, depth d of a 3D one). */
export interface SubjectGrid {
  /** [x, y, z] voxels. */
  dims: [number, number, number];
  /** mm along [x, y, z]. */
  spacing: [number, number, number];
  /** Subject slice z of each batch item (2D) or depth index (3D). */
  slices: number[];
}

export interface BatchSource {
  numClasses: number;
  /**
   * Deterministic in (stream, step): runs asking for the same stream see the same batches. `stream` is a
   * run's seed (replicates each get their own batch order); absent, the source's own seed.
   */
  trainBatch(step: number, stream?: number): ArrayBatch;
  /**
   * Signed distance maps (mm) of batch `step`'s labels (of `stream`, as trainBatch), yShape, one per item
   * and class (data/distance.ts). Asked for only by a loss that needs them (the boundary loss), so other
   * runs never pay for them.
   */
  trainDistances?(step: number, stream?: number): Float32Array;
  /** Fixed held-out batches (unseen subjects) for validation Dice. */
  validationBatches(): ArrayBatch[];
  /** The input behind prediction snapshots (the slice or patch on screen), if any. */
  snapshotInput(): ArrayBatch | null;
}

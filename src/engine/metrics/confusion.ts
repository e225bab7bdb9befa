// Hard labels and per-class confusion counts on plain typed arrays (no tf): the inputs of every metric.

/** Per class l: voxels predicted l and labelled l (tp), predicted l only (fp), labelled l only (fn), neither (tn). */
export interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Argmax over the last axis of channels-last values (length N*C); ties go to the lowest class. */
export function argmaxLabels(params: { probabilities: ArrayLike<number>; numClasses: number }): Int32Array {
  const { probabilities: p, numClasses: c } = params;
  if (c < 2 || p.length % c !== 0) throw new Error(`probabilities length ${p.length} is not a multiple of C = ${c} (C >= 2)`);
  const out = new Int32Array(p.length / c);
  for (let n = 0; n < out.length; n++) {
    let best = 0;
    for (let l = 1; l < c; l++) if (p[n * c + l] > p[n * c + best]) best = l;
    out[n] = best;
  }
  return out;
}

/** Integer labels (length N) or one-hot / probabilities (length N*C, argmax) as integer labels. */
export function toLabels(params: { labels: ArrayLike<number>; numClasses: number; numElements: number }): Int32Array {
  const { labels, numClasses, numElements } = params;
  if (labels.length === numElements * numClasses) return argmaxLabels({ probabilities: labels, numClasses });
  if (labels.length !== numElements) {
    throw new Error(`labels length ${labels.length} is neither N = ${numElements} nor N*C = ${numElements * numClasses}`);
  }
  const out = Int32Array.from(labels);
  for (const l of out) if (l < 0 || l >= numClasses) throw new Error(`label ${l} outside [0, ${numClasses - 1}]`);
  return out;
}

/** Counts per class from two integer label arrays of equal length. */
export function countsFromLabels(params: {
  predicted: ArrayLike<number>;
  reference: ArrayLike<number>;
  numClasses: number;
}): ClassCounts[] {
  const { predicted, reference, numClasses } = params;
  if (predicted.length !== reference.length) throw new Error(`label lengths differ: ${predicted.length} vs ${reference.length}`);
  const counts = Array.from({ length: numClasses }, () => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
  for (let n = 0; n < predicted.length; n++) {
    const a = predicted[n];
    const b = reference[n];
    if (!(a >= 0 && a < numClasses && b >= 0 && b < numClasses)) throw new Error(`label outside [0, ${numClasses - 1}] at ${n}`);
    if (a === b) counts[a].tp++;
    else {
      counts[a].fp++;
      counts[b].fn++;
    }
  }
  // Every voxel is in exactly one of tp/fp/fn/tn for each class.
  for (const k of counts) k.tn = predicted.length - k.tp - k.fp - k.fn;
  return counts;
}

/** Prediction: channels-last probabilities (length N*C, argmax); reference: integer (N) or one-hot (N*C) labels. */
export interface SegmentationInput {
  probabilities: ArrayLike<number>;
  reference: ArrayLike<number>;
  numClasses: number;
}

export function classCounts(input: SegmentationInput): ClassCounts[] {
  const predicted = argmaxLabels(input);
  const reference = toLabels({ labels: input.reference, numClasses: input.numClasses, numElements: predicted.length });
  return countsFromLabels({ predicted, reference, numClasses: input.numClasses });
}

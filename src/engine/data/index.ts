// Public surface of the data layer: phantoms, NIfTI I/O, subjects and batch sampling.
export { TISSUE } from './anatomy';
export {
  batchSignedDistances,
  distanceTransform,
  signedDistanceMap,
  signedDistancePair,
  squaredDistanceToFeature,
} from './distance';
export {
  NIFTI_MAX_VOXELS,
  NiftiError,
  type NiftiInfo,
  type NiftiMeta,
  type NiftiVolume,
  type ReadNiftiOptions,
  readNifti,
  type WriteNiftiOptions,
  writeNifti,
} from './nifti';
export {
  type Batch,
  median,
  PAPER_TABLE1,
  PATCH_PRESETS,
  type PatchPreset,
  type PatchRef,
  type PatchSpec,
  type PresetId,
  patchImbalance,
  presetSpec,
  SamplingError,
  type SliceAxis,
  sampleBatch,
} from './patches';
export {
  generatePhantom,
  LESION_REGIONS,
  type LesionKind,
  lesionVoxelTarget,
  MODALITIES,
  type Modality,
  PHANTOM_DEFAULTS,
  PHANTOM_MAX_VOXELS,
  type Phantom,
  type PhantomInput,
  type PhantomMeta,
  type PhantomOptions,
  resolvePhantomOptions,
} from './phantom';
export { approxNormalFromBits, createRng, type Rng } from './rng';
export { type NormaliseReference, prepareSubject, type Subject, splitSubjects, subjectFromPhantom, zScore } from './subjects';
export * from './volume';

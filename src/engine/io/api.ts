// The own-data, export and checkpoint part of the engine's API (EngineApi extends it). Plain data
// only; types here import nothing that pulls tfjs, so the page can use them.
import type { NamedBytes } from './exports';
import type { UserFile } from './files';
import type { PredictionFiles, SegmentResult, UserDataRequest, UserDataSummary } from './io-host';
import type { CheckpointInfo } from './model-io';
import type { UserDataChoices, UserDataReport } from './validate';

export type { NamedBytes } from './exports';
export type { FileRole, UserFile } from './files';
export type { PredictionFiles, SegmentResult, UserDataRequest, UserDataSummary } from './io-host';
export type { CheckpointInfo } from './model-io';
export type { FileReport, SubjectReport, UserDataChoices, UserDataReport } from './validate';

export interface IoApi {
  /** Reads and checks NIfTI files, kept for later calls; files omitted: the last files with new choices. */
  validateUserData(req: { files?: UserFile[]; choices: UserDataChoices }): Promise<UserDataReport>;
  /** Trains on the last checked user volumes from now on (replaces the data and any runs). */
  prepareUserData(req: UserDataRequest): Promise<UserDataSummary>;
  /** The shown subject as NIfTI files: the phantom, or the user's volumes on their training grid. */
  exportData(req: { gzip?: boolean }): Promise<{ files: NamedBytes[] }>;
  /** A run's prediction of the whole shown subject (segmentation + probability) on the input's grid. */
  exportPrediction(req: { runId: string; gzip?: boolean }): Promise<PredictionFiles & { step: number }>;
  /** A run's model in the tfjs layers format (model.json + one weights file). */
  exportModel(req: { runId: string }): Promise<{ modelJson: string; weights: Uint8Array; weightsName: string }>;
  /** Loads a checkpoint (model.json text + weights bytes) under an id, for RunRequest.init and segment. */
  loadCheckpoint(req: { id: string; modelJson: string; weights: ArrayBuffer | Uint8Array }): Promise<CheckpointInfo>;
  /** Inference only: a loaded checkpoint segments the loaded user volume, else the shown phantom. */
  segment(req: { checkpoint: string; gzip?: boolean }): Promise<SegmentResult>;
}

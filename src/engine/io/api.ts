// The own-data, export and checkpoint part of the engine's API (EngineApi extends it). Plain data
// only; types here import nothing that pulls tfjs, so the page can use them.
import type { NamedBytes } from './exports';
import type { UserFile } from './files';
import type { LoadCheckpointRequest, PredictionFiles, SegmentResult, UserDataRequest, UserDataSummary } from './io-host';
import type { CheckpointInfo } from './model-io';
import type { UserDataChoices, UserDataReport } from './validate';

export type { NamedBytes } from './exports';
export type { FileGrid } from './file-grid';
export type { FileRole, UserFile } from './files';
export type { LoadCheckpointRequest, PredictionFiles, SegmentResult, UserDataRequest, UserDataSummary } from './io-host';
export type { CheckpointInfo } from './model-io';
export type { FileReport, SeriesChoice, SubjectReport, UserDataChoices, UserDataReport } from './validate';

export interface IoApi {
  /** Keeps the user's files by id (their name; a held name is replaced); bytes are transferred once. */
  addUserFiles(req: { files: UserFile[] }): Promise<{ ids: string[] }>;
  /** Forgets held files by id; returns the ids still held. */
  removeUserFiles(req: { ids: string[] }): Promise<{ ids: string[] }>;
  /** Reads and checks the held files with these choices; `files` (deprecated) replaces the held files first. */
  validateUserData(req: { files?: UserFile[]; choices: UserDataChoices }): Promise<UserDataReport>;
  /** Trains on the held files checked with these choices from now on (replaces the data and any runs). */
  prepareUserData(req: UserDataRequest): Promise<UserDataSummary>;
  /** The shown subject as NIfTI files: the phantom, or the user's volumes on their training grid. */
  exportData(req: { gzip?: boolean }): Promise<{ files: NamedBytes[] }>;
  /** A run's prediction of the whole shown subject (segmentation + probability) on the input's grid. */
  exportPrediction(req: { runId: string; gzip?: boolean }): Promise<PredictionFiles & { step: number }>;
  /** A run's model in the tfjs layers format (model.json + one weights file). */
  exportModel(req: { runId: string }): Promise<{ modelJson: string; weights: Uint8Array; weightsName: string }>;
  /**
   * Loads a checkpoint under an id, for RunRequest.init and segment: a shipped one the engine fetches from
   * models/ under `base` (an absolute URL) once per id, or a user's model.json text + weights bytes.
   */
  loadCheckpoint(req: LoadCheckpointRequest): Promise<CheckpointInfo>;
  /** Inference only: a loaded checkpoint segments the loaded user volume, else the shown phantom. */
  segment(req: { checkpoint: string; gzip?: boolean }): Promise<SegmentResult>;
}

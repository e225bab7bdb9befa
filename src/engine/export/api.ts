// The "Take it further" request and result as plain data (no tfjs), for the engine API and the page.
import type { RunRequest } from '../../domain/engine-types';

export interface ExportProjectRequest {
  /** Folder and zip name (made OS-safe). */
  name: string;
  /** The app's settings query, so the results import with the same settings. */
  query: string;
  /** The runs of the single run, race or sweep; colours and labels as the page shows them. */
  runs: (RunRequest & { label?: string; color?: string })[];
  /** Browser batches replayed by train.py (default 5). */
  replaySteps?: number;
}

export interface ExportProjectResult {
  /** `{name}.zip` */
  name: string;
  bytes: Uint8Array;
  files: number;
  /** Runs whose trained weights were exported (the rest start from their seed's initial weights). */
  trainedRuns: string[];
}

// The engine's own-data, export and checkpoint methods, beside the session: it keeps the user's
// files (sent once, by id) and checked subjects, the loaded checkpoints, and the geometry exports go back to.
import { EngineError } from '../../domain/errors';
import type { DataSummary } from '../api';
import { countsFromLabels } from '../metrics/confusion';
import { diceFromCounts } from '../metrics/overlap';
import type { IoApi } from './api';
import type { Dataset } from '../train/dataset';
import type { Session } from '../train/session';
import { datasetFiles, type ExportGeometry, labelTableFile, type NamedBytes, predictionFiles } from './exports';
import { fetchCheckpointFiles } from './fetch-checkpoint';
import type { FileGrid } from './file-grid';
import type { UserFile } from './files';
import { gridOf } from './geometry';
import { type CheckpointInfo, CheckpointStore, saveModelFiles } from './model-io';
import { predictVolume, threshold } from './predict';
import { buildUserDataset, subjectFromUser } from './user-dataset';
import { loadUserSubjects, type UserDataChoices, type UserDataReport, type UserSubject } from './validate';

export interface UserDataRequest {
  choices: UserDataChoices;
  /** Prepare the volumes adopted last time again (new network or patch), whatever files were checked since. */
  again?: boolean;
  seed: number;
  patch: number;
  batch: number;
  network: string;
}

/** A shipped checkpoint the engine fetches from `base` (absolute URL of the app), or a user's files. */
export type LoadCheckpointRequest =
  | { id: string; base: string }
  | { id: string; modelJson: string; weights: ArrayBuffer | Uint8Array };

export interface UserDataSummary extends DataSummary {
  /** The shown subject's first file as read: the viewer maps its voxels to this file's own indices. */
  fileGrid: FileGrid;
  report: UserDataReport;
  split: { train: string[]; validation: string[] };
  notices: string[];
}

export interface PredictionFiles {
  segmentation: NamedBytes;
  probability: NamedBytes;
  /** The segmentation's label values and names (index, name), when a label table named them. */
  table?: NamedBytes;
}

export interface SegmentResult {
  checkpoint: string;
  subject: string;
  display: DataSummary['display'];
  /** p(foreground) on the shown (training) grid, x-fastest. */
  probs: Float32Array;
  /** Hard Dice against the subject's label, null without one. */
  dice: number | null;
  /** A user volume's first file as read (the readout names its own voxels); absent for the phantom. */
  fileGrid?: FileGrid;
  files: PredictionFiles;
  ms: number;
}

/** Hard Dice of a 0/1 segmentation against a label map (any value > 0 is foreground). */
function hardDice(seg: Uint8Array, label: ArrayLike<number>): number {
  const reference = new Uint8Array(label.length); // a loop: Uint8Array.from with a map function is ~25x slower
  for (let i = 0; i < label.length; i++) reference[i] = label[i] > 0 ? 1 : 0;
  return diceFromCounts(countsFromLabels({ predicted: seg, reference, numClasses: 2 })[1]);
}

const isAbsoluteUrl = (s: string) => {
  try {
    return Boolean(new URL(s));
  } catch {
    return false;
  }
};

const isBytes = (b: unknown) => b instanceof ArrayBuffer || ArrayBuffer.isView(b);

function checkFiles(files: unknown): asserts files is UserFile[] {
  const ok = Array.isArray(files) && files.every((f) => typeof f?.name === 'string' && isBytes(f.bytes));
  if (!ok) throw new EngineError('invalid-request', 'files must be [{ name, bytes }] with bytes an ArrayBuffer or a typed array');
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'volume';
/** A BIDS entity label: letters and digits only. */
const entity = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '').slice(0, 40) || 'x';

/** The label values a user subject's label maps hold (kept classes, or the one merged value). */
function labelValuesOf(s: UserSubject): number[] {
  return s.classValues ?? (s.foregroundValue !== undefined ? [s.foregroundValue] : []);
}

/** The IoApi methods of a controller, bound (the host spreads them into EngineApi). */
export function ioMethods(io: IoController): IoApi {
  return {
    addUserFiles: async (req) => io.addUserFiles(req),
    removeUserFiles: async (req) => io.removeUserFiles(req),
    validateUserData: (req) => io.validateUserData(req),
    prepareUserData: (req) => io.prepareUserData(req),
    exportData: (req) => io.exportData(req),
    exportPrediction: (req) => io.exportPrediction(req),
    exportModel: (req) => io.exportModel(req),
    loadCheckpoint: (req) => io.loadCheckpoint(req),
    segment: (req) => io.segment(req),
  };
}

export class IoController {
  readonly checkpoints = new CheckpointStore();
  /** The user's files by id (their name: names must differ anyway to group into subjects). */
  private files = new Map<string, UserFile>();
  /** Shipped checkpoints fetched (or being fetched) by id: each is fetched once. */
  private fetched = new Map<string, Promise<CheckpointInfo>>();
  private loaded: { key: string; subjects: UserSubject[]; report: UserDataReport } | null = null;
  /** The subjects the session trains on (kept when other files are checked meanwhile). */
  private adopted: { subjects: UserSubject[]; report: UserDataReport } | null = null;
  /** The user subject on screen while the session trains on user volumes. */
  private shown: { dataset: Dataset; subject: UserSubject } | null = null;

  constructor(private readonly session: Session) {}

  private load(choices: UserDataChoices): { subjects: UserSubject[]; report: UserDataReport } {
    const key = JSON.stringify(choices);
    if (this.loaded?.key !== key) this.loaded = { key, ...loadUserSubjects({ files: [...this.files.values()], choices }) };
    return this.loaded;
  }

  /** Keeps files for later checks (bytes moved here once); a file of a held name replaces it. Returns every id held. */
  addUserFiles(req: { files: UserFile[] }): { ids: string[] } {
    checkFiles(req.files);
    for (const f of req.files) {
      this.files.delete(f.name); // re-added names move to the end, as the page lists them
      this.files.set(f.name, { name: f.name, bytes: f.bytes });
    }
    this.loaded = null;
    return { ids: [...this.files.keys()] };
  }

  /** Forgets files by id (unknown ids are ignored); adopted training data stay. Returns every id still held. */
  removeUserFiles(req: { ids: string[] }): { ids: string[] } {
    if (!Array.isArray(req.ids)) throw new EngineError('invalid-request', 'removeUserFiles takes { ids: [...] }');
    for (const id of req.ids) this.files.delete(id);
    this.loaded = null;
    return { ids: [...this.files.keys()] };
  }

  /** Checks the held files with these choices; `files` (deprecated, one release) replaces them all first. */
  async validateUserData(req: { files?: UserFile[]; choices: UserDataChoices }): Promise<UserDataReport> {
    if (req.files) {
      checkFiles(req.files); // before forgetting the held ones
      this.files.clear();
      this.addUserFiles({ files: req.files });
    }
    return this.load(req.choices).report;
  }

  /** Makes the last checked user volumes the session's data (replacing phantoms and runs). */
  async prepareUserData(req: UserDataRequest): Promise<UserDataSummary> {
    const t0 = performance.now();
    const { subjects, report } = req.again && this.adopted ? this.adopted : this.load(req.choices);
    if (!report.ok)
      throw new EngineError('invalid-request', `the volumes did not pass the checks: ${report.errors[0] ?? 'none loaded'}`, {
        problems: report.errors.map((message) => ({ field: 'files', message })),
      });
    if (!report.trainable)
      throw new EngineError('invalid-request', report.trainProblems[0] ?? 'these volumes cannot be trained on', {
        problems: report.trainProblems.map((message) => ({ field: 'labels', message })),
      });
    const u = buildUserDataset({ subjects, ...req });
    const summary = await this.session.adoptDataset(u.ds, t0);
    this.adopted = { subjects, report };
    this.shown = { dataset: u.ds, subject: u.shown };
    const o = u.shown.original;
    const fileGrid = { name: u.shown.originalName, dims: [...o.dims], affine: [...o.affine] };
    return { ...summary, fileGrid, report, split: u.split, notices: u.notices };
  }

  /** Geometry of the session's shown subject: user volumes go back to their file's grid, with their header fields. */
  private shownGeometry(): { geometry: ExportGeometry; name: string; user?: UserSubject } {
    const ds = this.session.data;
    if (!ds) throw new EngineError('no-data', 'no data yet');
    if (this.shown && this.shown.dataset === ds) {
      const s = this.shown.subject;
      return { geometry: { working: s.working, original: s.original, meta: s.meta }, name: s.id, user: s };
    }
    const g = gridOf(ds.display.images[0]);
    const seed = ds.display.phantom?.options.seed;
    return { geometry: { working: g, original: g }, name: seed === undefined ? ds.display.subject.id : `phantom-${seed}` };
  }

  /** The shown subject as NIfTI: the phantom, or the user's volumes back on their file's grid. */
  async exportData(req: { gzip?: boolean }): Promise<{ files: NamedBytes[] }> {
    const ds = this.session.data;
    if (!ds) throw new EngineError('no-data', 'no data yet');
    const { geometry, name, user } = this.shownGeometry();
    const prefix = safe(name);
    const files = datasetFiles({
      ds,
      prefix,
      gzip: req.gzip ?? true,
      original: geometry.original,
      meta: geometry.meta,
      foregroundValue: user?.foregroundValue,
    });
    const table =
      user?.labelNames && labelTableFile({ name: `${prefix}_label.tsv`, values: labelValuesOf(user), names: user.labelNames });
    return { files: table ? [...files, table] : files };
  }

  /** A run's prediction over the whole shown subject, on the input's grid. */
  async exportPrediction(req: { runId: string; gzip?: boolean }): Promise<PredictionFiles & { step: number }> {
    const ds = this.session.data;
    const model = this.session.modelOf(req.runId);
    if (!ds || !model) throw new EngineError('no-runs', `no run '${req.runId}': train first`);
    const { geometry, name, user } = this.shownGeometry();
    return this.session.betweenSteps(async () => {
      const step = this.session.trainers.find((t) => t.runId === req.runId)?.step ?? 0;
      const subject = ds.display.subject;
      const probs = await predictVolume({ model, subject });
      // Multi-class runs export each voxel's argmax class as the label value it came from.
      const values = ds.numClasses > 2 ? (ds.classValues ?? Array.from({ length: ds.numClasses }, (_, i) => i)) : null;
      const classes = values ? { index: await predictVolume({ model, subject, output: 'classes' }), values } : undefined;
      // Names say what they are: sub-01_pred-<run>_step-<n>_seg.nii.gz (BIDS-style entities).
      const prefix = `${safe(name)}_pred-${entity(req.runId)}_step-${step}`;
      const files = predictionFiles({
        probs,
        geometry,
        prefix,
        gzip: req.gzip ?? true,
        classes,
        foregroundValue: user?.foregroundValue,
      });
      const table =
        user?.labelNames && labelTableFile({ name: `${prefix}_seg.tsv`, values: labelValuesOf(user), names: user.labelNames });
      return { ...files, ...(table ? { table } : {}), step };
    });
  }

  /** A run's model as model.json + weights (tfjs layers format). */
  async exportModel(req: { runId: string }): Promise<{ modelJson: string; weights: Uint8Array; weightsName: string }> {
    const model = this.session.modelOf(req.runId);
    const ds = this.session.data;
    if (!model || !ds) throw new EngineError('no-runs', `no run '${req.runId}': train first`);
    const weightsName = `${safe(req.runId)}.weights.bin`;
    const files = await this.session.betweenSteps(() =>
      saveModelFiles({
        model,
        weightsName,
        metadata: { network: model.name, modalities: ds.display.modalities, runId: req.runId },
      }),
    );
    return { ...files, weightsName };
  }

  /** A shipped checkpoint fetched from `base` once per id (in flight or done), or a user's files (always loaded). */
  async loadCheckpoint(req: LoadCheckpointRequest): Promise<CheckpointInfo> {
    if (!('base' in req)) {
      this.fetched.delete(req.id); // the user's bytes replace what was fetched under this id
      return this.checkpoints.load(req);
    }
    const { id, base } = req;
    if (!isAbsoluteUrl(base))
      throw new EngineError(
        'invalid-request',
        `checkpoint base '${base}' is not an absolute URL (resolve the app's base against its location)`,
      );
    let loading = this.fetched.get(id);
    if (!loading) {
      loading = fetchCheckpointFiles({ id, base }).then((f) =>
        this.checkpoints.load({ id, modelJson: f.modelJson, weights: f.weights }),
      );
      this.fetched.set(id, loading);
      // A failed fetch is tried again next time.
      loading.catch(() => this.fetched.get(id) === loading && this.fetched.delete(id));
    }
    return loading;
  }

  /** Inference only: a checkpoint segments the loaded user volume (the first subject), else the shown phantom. */
  async segment(req: { checkpoint: string; gzip?: boolean }): Promise<SegmentResult> {
    const t0 = performance.now();
    const { model, info } = this.checkpoints.get(req.checkpoint);
    // The checked files' first subject, or the one on screen when it is among them.
    const checked = this.loaded?.report.ok ? this.loaded.subjects : [];
    const shown = this.shown?.subject;
    const user = shown && checked.includes(shown) ? shown : (checked[0] ?? null);
    const ds = this.session.data;
    if (!user && !ds) throw new EngineError('no-data', 'nothing to segment: load volumes or wait for the phantom');
    const subject = user ? subjectFromUser(user) : ds!.display.subject;
    if (subject.channels.length !== info.inChannels) {
      const mods = info.modalities ? ` (${info.modalities.join(', ')})` : '';
      throw new EngineError(
        'invalid-request',
        `checkpoint ${info.id} takes ${info.inChannels} images per subject${mods}; this subject has ${subject.channels.length}`,
      );
    }
    const probs = await predictVolume({ model, subject });
    const label = user ? (user.label?.data ?? null) : subject.label;
    const seg = threshold(probs);
    const name = user ? user.id : this.shownGeometry().name;
    const g = user ? { working: user.working, original: user.original, meta: user.meta } : this.shownGeometry().geometry;
    const images = user ? user.images : ds!.display.images;
    const modalities = user ? user.modalities : ds!.display.modalities;
    return {
      checkpoint: info.id,
      subject: name,
      display: {
        images: images.map((v, i) => ({
          name: modalities[i],
          dims: [v.dims[0], v.dims[1], v.dims[2]],
          spacing: [v.spacing[0], v.spacing[1], v.spacing[2]],
          affine: [...v.affine],
          data: Float32Array.from(v.data),
        })),
        modalities: [...modalities],
        label: label ? Uint8Array.from(label) : new Uint8Array(probs.length),
      },
      probs,
      dice: label ? hardDice(seg, label) : null,
      fileGrid: user ? { name: user.originalName, dims: [...user.original.dims], affine: [...user.original.affine] } : undefined,
      files: predictionFiles({
        probs,
        geometry: g,
        prefix: `${safe(name)}_pred-${entity(info.id)}`,
        gzip: req.gzip ?? true,
        foregroundValue: user?.foregroundValue,
      }),
      ms: performance.now() - t0,
    };
  }
}

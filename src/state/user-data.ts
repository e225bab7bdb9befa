// The Your data controller: the user's NIfTI files (checked in the engine before anything trains),
// their roles and subjects, the pretrained checkpoints (warm start or inference only) and a segmentation.
import type { CheckpointEntry, CheckpointManifest } from '../engine/io/manifest';
import type { SegmentResult, UserDataChoices, UserDataReport, UserDataSummary } from '../engine/io/api';
import { fetchManifest } from '../engine/io/fetch-checkpoint';
import { isLabelTableName, isNiftiName } from '../engine/io/files';
import type { EngineClient } from '../worker/client';
import { Observable } from './observable';
import type { DataSource } from './playground';

export interface UserDataState {
  files: File[];
  choices: UserDataChoices;
  report: UserDataReport | null;
  /** What is being done now (shown with a spinner), null when idle. */
  busy: string | null;
  error: string | null;
  manifest: CheckpointManifest | null;
  checkpointError: string | null;
  segment: SegmentResult | null;
}

/** A file's name for the checks: its path inside a picked folder (sub-01/anat/...), else its name. */
export const fileName = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;

/** The real example (public/examples/, niivue's FLAIR and lesion drawing; see the README there). */
export const EXAMPLE_FILES = ['niivue-example_FLAIR.nii.gz', 'niivue-example_lesion.nii.gz'];

export interface UserDataOptions {
  engine: () => EngineClient | null;
  /** Where models/ is served: an absolute URL (the engine fetches checkpoints from it). */
  modelsBase: string;
}

export class UserDataController extends Observable<UserDataState> {
  /** Each check gets a number; a later edit makes an earlier answer stale. */
  private checkSeq = 0;
  /** Which File each name was sent as, to the current engine (a fresh engine gets them again). */
  private held = new Map<string, File>();
  /** Syncs and checks run one after another, so a check never overtakes the files it is about. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: UserDataOptions) {
    super({
      files: [],
      choices: {},
      report: null,
      busy: null,
      error: null,
      manifest: null,
      checkpointError: null,
      segment: null,
    });
  }

  /** Reads models/index.json once. */
  async loadManifest(): Promise<void> {
    if (this.getState().manifest) return;
    try {
      this.set({ manifest: await fetchManifest(this.o.modelsBase) });
    } catch (err) {
      this.set({ checkpointError: `Checkpoints unavailable: ${message(err)}` });
    }
  }

  /** Adds files (a name already present is replaced) and checks them with the current choices. */
  addFiles(added: File[]): Promise<void> {
    if (added.length === 0) return Promise.resolve();
    const names = new Set(added.map(fileName));
    const files = [...this.getState().files.filter((f) => !names.has(fileName(f))), ...added];
    this.set({ files, segment: null });
    return this.check();
  }

  /** A picked folder: its volumes, .hdr/.img pairs and label tables (JSON sidecars and the rest are left out). */
  addFolder(files: File[]): Promise<void> {
    return this.addFiles(files.filter((f) => isNiftiName(f.name) || isLabelTableName(fileName(f))));
  }

  /** Fetches the shipped real example (a FLAIR and its lesion mask) and adds it like dropped files. */
  async loadExample(): Promise<void> {
    this.set({ busy: 'Fetching the example FLAIR and lesion mask…' });
    try {
      const files = await Promise.all(
        EXAMPLE_FILES.map(async (name) => {
          const res = await fetch(new URL(`examples/${name}`, this.o.modelsBase));
          if (!res.ok) throw new Error(`examples/${name}: HTTP ${res.status}`);
          return new File([await res.arrayBuffer()], name);
        }),
      );
      await this.addFiles(files);
    } catch (err) {
      this.set({ busy: null, error: `The example could not be loaded: ${message(err)}` });
    }
  }

  setChoices(choices: UserDataChoices): Promise<void> {
    this.set({ choices });
    return this.check();
  }

  clear(): Promise<void> {
    this.set({ files: [], choices: {}, segment: null });
    return this.check();
  }

  /** Checks the files in the engine: each file travels once, when added (bytes transferred); edits send choices only. */
  check(): Promise<void> {
    const client = this.o.engine();
    if (!client) return Promise.resolve();
    const seq = ++this.checkSeq;
    const { files, choices } = this.getState();
    if (files.length > 0) this.set({ busy: 'Checking the volumes…' });
    else this.set({ report: null });
    const task = async () => {
      // Cleared files are forgotten (segmenting goes back to the phantom); adopted training data stay.
      const gone = [...this.held.keys()].filter((name) => !files.some((f) => fileName(f) === name));
      if (gone.length > 0) await client.call('removeUserFiles', { ids: gone });
      for (const name of gone) this.held.delete(name);
      const fresh = files.filter((f) => this.held.get(fileName(f)) !== f);
      // f.arrayBuffer() is a fresh copy of the file: the engine may keep it, the page never reads it again.
      const payload = await Promise.all(fresh.map(async (f) => ({ name: fileName(f), bytes: await f.arrayBuffer() })));
      if (payload.length > 0) await client.call('addUserFiles', { files: payload });
      for (const f of fresh) this.held.set(fileName(f), f);
      if (files.length === 0 || seq !== this.checkSeq) return; // a newer edit checks instead
      const report = await client.call('validateUserData', { choices });
      if (seq === this.checkSeq) this.set({ report, error: null });
    };
    this.queue = this.queue
      .then(task)
      .catch((err) => {
        if (seq === this.checkSeq) this.set({ error: `The files could not be checked: ${message(err)}` });
      })
      .finally(() => {
        if (seq === this.checkSeq) this.set({ busy: null });
      });
    return this.queue;
  }

  /** Prepares the checked volumes for training; resolves to the summary and the source the playground adopts. */
  async prepareTraining(req: { seed: number; patch: number; batch: number; network: string }): Promise<{
    summary: UserDataSummary;
    source: DataSource;
  } | null> {
    const client = this.o.engine();
    const { report, choices } = this.getState();
    if (!client || !report?.trainable) return null;
    const names = report.subjects.map((s) => s.id).join(', ');
    const source: DataSource = {
      label: `your volumes (${names})`,
      prepare: (c, r) => c.call('prepareUserData', { choices, again: true, ...r }),
    };
    this.set({ busy: 'Preparing the volumes for training…' });
    try {
      const summary = await client.call('prepareUserData', { choices, ...req });
      return { summary, source };
    } catch (err) {
      this.set({ error: message(err) });
      return null;
    } finally {
      this.set({ busy: null });
    }
  }

  /** Loads a checkpoint into the engine for warm starts; false when it failed (the reason is in the state). */
  async loadForWarmStart(c: CheckpointEntry): Promise<boolean> {
    return this.withCheckpoint(c, `Loading ${c.id}…`, async () => undefined);
  }

  /** Segments the loaded user volume (or the shown phantom) with a checkpoint, inference only. */
  async segmentWith(c: CheckpointEntry): Promise<void> {
    await this.withCheckpoint(c, `Segmenting with ${c.id}…`, async (client) => {
      this.set({ segment: await client.call('segment', { checkpoint: c.id }) });
    });
  }

  private async withCheckpoint(
    c: CheckpointEntry,
    busy: string,
    then: (client: EngineClient) => Promise<void>,
  ): Promise<boolean> {
    this.set({ busy });
    try {
      const client = this.o.engine();
      if (!client) throw new Error('the engine is still starting');
      // The engine fetches it from models/ beside the page, once per id (a second call answers at once).
      await client.call('loadCheckpoint', { id: c.id, base: this.o.modelsBase });
      await then(client);
      this.set({ checkpointError: null });
      return true;
    } catch (err) {
      this.set({ checkpointError: message(err) });
      return false;
    } finally {
      this.set({ busy: null });
    }
  }

  /** A fresh engine knows none of the files: send them again. */
  engineChanged(): void {
    this.held = new Map();
    void this.check();
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// The Your data controller: the user's NIfTI files (checked in the engine before anything trains),
// their roles and subjects, the pretrained checkpoints (warm start or inference only) and a segmentation.
import type { CheckpointEntry, CheckpointManifest } from '../engine/io/manifest';
import type { SegmentResult, UserDataChoices, UserDataReport, UserDataSummary } from '../engine/io/api';
import { fetchCheckpointFiles, fetchManifest } from '../engine/io/fetch-checkpoint';
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

export interface UserDataOptions {
  engine: () => EngineClient | null;
  /** Where models/ is served (the page's base URL). */
  modelsBase: string;
}

export class UserDataController extends Observable<UserDataState> {
  private readonly loadedCheckpoints = new Set<string>();
  /** Each check gets a number; a later edit makes an earlier answer stale. */
  private checkSeq = 0;
  /** The file list the engine holds (files are sent only when this list changes). */
  private sentFiles: File[] | null = null;

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
    const files = [...this.getState().files.filter((f) => !added.some((a) => a.name === f.name)), ...added];
    this.set({ files, segment: null });
    return this.check();
  }

  setChoices(choices: UserDataChoices): Promise<void> {
    this.set({ choices });
    return this.check();
  }

  clear(): Promise<void> {
    this.set({ files: [], choices: {}, segment: null });
    return this.check();
  }

  /** Checks the files in the engine; file bytes travel only when the file list changed. */
  async check(): Promise<void> {
    const client = this.o.engine();
    if (!client) return;
    const seq = ++this.checkSeq;
    const { files, choices } = this.getState();
    if (files.length === 0) {
      this.set({ report: null, busy: null });
      this.sentFiles = [];
      // The engine forgets cleared files (segmenting goes back to the phantom); adopted training data stay.
      await client.call('validateUserData', { files: [], choices: {} }).catch(() => undefined);
      return;
    }
    this.set({ busy: 'Checking the volumes…' });
    try {
      const send = this.sentFiles !== files;
      const payload = send
        ? await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })))
        : undefined;
      const report = await client.call('validateUserData', payload ? { files: payload, choices } : { choices });
      if (send) this.sentFiles = files;
      if (seq === this.checkSeq) this.set({ report, error: null });
    } catch (err) {
      if (seq === this.checkSeq) this.set({ error: `The files could not be checked: ${message(err)}` });
    } finally {
      if (seq === this.checkSeq) this.set({ busy: null });
    }
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
      if (!this.loadedCheckpoints.has(c.id)) {
        const { modelJson, weights } = await fetchCheckpointFiles({ id: c.id, base: this.o.modelsBase });
        await client.call('loadCheckpoint', { id: c.id, modelJson, weights });
        this.loadedCheckpoints.add(c.id);
      }
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

  /** A fresh engine knows none of the files or checkpoints: send them again on the next check. */
  engineChanged(): void {
    this.sentFiles = null;
    this.loadedCheckpoints.clear();
    void this.check();
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

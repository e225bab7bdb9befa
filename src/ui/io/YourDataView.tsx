// "Your data": bring your own NIfTI volumes (checked before anything trains), the pretrained
// checkpoints (warm start or inference only) and a checkpoint's segmentation with its downloads.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SegmentResult, UserDataChoices, UserDataReport } from '../../engine/io/api';
import { fetchManifest } from '../../engine/io/fetch-checkpoint';
import type { CheckpointEntry, CheckpointManifest } from '../../engine/io/manifest';
import { patchAndBatch } from '../../state/settings';
import type { DataSource } from '../../state/usePlayground';
import type { ViewProps } from '../views';
import { CheckpointPanel } from './CheckpointPanel';
import { FilePanel } from './FilePanel';
import { SegmentPanel } from './SegmentPanel';
import './io.css';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

export function YourDataView({ pg, settings, onChange, notify }: ViewProps) {
  const [files, setFiles] = useState<File[]>([]);
  const [choices, setChoices] = useState<UserDataChoices>({});
  const [report, setReport] = useState<UserDataReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manifest, setManifest] = useState<CheckpointManifest | null>(null);
  const [ckError, setCkError] = useState<string | null>(null);
  const [segment, setSegment] = useState<SegmentResult | null>(null);
  const client = pg.client;
  // Which File each name was sent as, to this engine (a fresh engine after a fault gets them again).
  const sent = useRef<{ client: typeof client; files: Map<string, File> }>({ client: null, files: new Map() });
  // Syncs and checks run one after another, so a check never overtakes the files it is about.
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    fetchManifest(import.meta.env.BASE_URL)
      .then(setManifest)
      .catch((err) => setCkError(`Checkpoints unavailable: ${message(err)}`));
  }, []);

  // Files go to the engine once, when added (bytes transferred); a change of choices sends the choices only.
  useEffect(() => {
    if (!client) return;
    let live = true;
    if (files.length > 0) setBusy('Checking the volumes…');
    else setReport(null);
    const task = async () => {
      if (sent.current.client !== client) sent.current = { client, files: new Map() };
      const held = sent.current.files;
      // Cleared files are forgotten (segmenting goes back to the phantom); adopted training data stay.
      const gone = [...held.keys()].filter((name) => !files.some((f) => f.name === name));
      if (gone.length > 0) await client.call('removeUserFiles', { ids: gone });
      for (const name of gone) held.delete(name);
      const fresh = files.filter((f) => held.get(f.name) !== f);
      // f.arrayBuffer() is a fresh copy of the file: the engine may keep it, the page never reads it again.
      const payload = await Promise.all(fresh.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
      if (payload.length > 0) await client.call('addUserFiles', { files: payload });
      for (const f of fresh) held.set(f.name, f);
      if (files.length === 0 || !live) return; // a newer edit checks instead
      const r = await client.call('validateUserData', { choices });
      if (live) {
        setReport(r);
        setError(null);
      }
    };
    queue.current = queue.current
      .then(task)
      .catch((err) => {
        if (live) setError(`The files could not be checked: ${message(err)}`);
      })
      .finally(() => {
        if (live) setBusy(null);
      });
    return () => {
      live = false;
    };
  }, [client, files, choices]);

  const addFiles = useCallback((added: File[]) => {
    if (added.length === 0) return;
    setFiles((old) => [...old.filter((f) => !added.some((a) => a.name === f.name)), ...added]);
    setSegment(null);
  }, []);

  const train = async () => {
    if (!client || !report?.trainable) return;
    const names = report.subjects.map((s) => s.id).join(', ');
    const picked = choices;
    const source: DataSource = {
      label: `your volumes (${names})`,
      prepare: (c, req) => c.call('prepareUserData', { choices: picked, again: true, ...req }),
    };
    setBusy('Preparing the volumes for training…');
    try {
      const { patch, batch } = patchAndBatch(settings);
      const summary = await client.call('prepareUserData', {
        choices: picked,
        seed: settings.seed,
        patch,
        batch,
        network: settings.network,
      });
      pg.adoptData(summary, source);
      notify(
        `Training data: your volumes (${names}); ${summary.subjects.train} training, ${summary.subjects.validation} validation subject(s). ${summary.notices.map(sentence).join(' ')}`,
      );
      onChange({ view: 'playground' });
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(null);
    }
  };

  const ensureCheckpoint = async (c: CheckpointEntry) => {
    if (!client) throw new Error('the engine is still starting');
    // The engine fetches it from models/ beside the page, once per id (a second call answers at once).
    await client.call('loadCheckpoint', { id: c.id, base: new URL(import.meta.env.BASE_URL, window.location.href).href });
    return client;
  };

  const start = async (c: CheckpointEntry) => {
    setBusy(`Loading ${c.id}…`);
    try {
      await ensureCheckpoint(c);
      onChange({ init: c.id, network: c.network as typeof settings.network, view: 'playground' });
      notify(`New runs start from checkpoint ${c.id} (validation Dice ${c.validationDice.toFixed(3)} on the default phantom).`);
      setCkError(null);
    } catch (err) {
      setCkError(message(err));
    } finally {
      setBusy(null);
    }
  };

  const segmentWith = async (c: CheckpointEntry) => {
    setBusy(`Segmenting with ${c.id}…`);
    try {
      const cl = await ensureCheckpoint(c);
      setSegment(await cl.call('segment', { checkpoint: c.id }));
      setCkError(null);
    } catch (err) {
      setCkError(message(err));
    } finally {
      setBusy(null);
    }
  };

  const target = report?.ok ? `your volume (${report.subjects[0]?.id})` : 'the phantom on screen';
  return (
    <div className="data-view">
      <FilePanel
        files={files}
        report={report}
        choices={choices}
        busy={busy}
        error={error}
        onFiles={addFiles}
        onClear={() => {
          setFiles([]);
          setChoices({});
          setSegment(null);
        }}
        onChoices={setChoices}
        onTrain={() => void train()}
        canTrain={!!report?.trainable && !busy && !pg.playing}
      />
      <CheckpointPanel
        manifest={manifest}
        error={ckError}
        init={settings.init}
        busy={!!busy || !client}
        target={target}
        onStart={(c) => void start(c)}
        onSegment={(c) => void segmentWith(c)}
        onClearInit={() => onChange({ init: '' })}
      />
      {segment && <SegmentPanel key={`${segment.checkpoint}-${segment.subject}-${segment.ms}`} result={segment} />}
    </div>
  );
}

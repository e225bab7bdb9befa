// Export and import under the playground's charts: curves CSV, charts PNG, the race as JSON (and back),
// the selected run's model and prediction, and the shown volumes as NIfTI. Files are made in the
// browser and saved through download links; nothing is uploaded.
import { useRef, useSyncExternalStore } from 'react';
import { parseHistoryJson } from '../../state/persist/history-json';
import { serializeSettings, type Settings } from '../../state/settings';
import type { RunSummary } from '../../state/store';
import type { Playground } from '../../state/usePlayground';
import { chartsPng } from './chart-png';
import { curvesCsv, raceJson } from './curves';
import { downloadFile, downloadFiles, safeStem } from './download';
import './io.css';

export interface ExportBarProps {
  pg: Playground;
  runs: RunSummary[];
  /** The run whose model and prediction are exported. */
  selected: string | null;
  settings: Settings;
  notify: (message: string) => void;
}

export function ExportBar({ pg, runs, selected, settings, notify }: ExportBarProps) {
  const { busy, status } = useSyncExternalStore(pg.exports.subscribe, pg.exports.getState);
  const input = useRef<HTMLInputElement>(null);
  const run = runs.find((r) => r.id === selected) ?? runs[0] ?? null;
  const trained = !!run && run.steps.length > 0;
  const stem = safeStem(runs.map((r) => r.label).join('-') || 'runs');

  const act = (what: () => Promise<string>) => pg.exports.run(what);

  const exportCsv = () =>
    act(async () => {
      downloadFile({ name: `${stem}-curves.csv`, data: curvesCsv(runs, pg.data?.classValues), type: 'text/csv' });
      return `Saved ${stem}-curves.csv.`;
    });
  const exportPng = () =>
    act(async () => {
      const root = document.querySelector('[aria-label="Charts"]');
      if (!root) throw new Error('the charts are not on the page');
      const png = await chartsPng({ root, legend: runs.map((r) => ({ label: r.label, color: r.color })) });
      downloadFile({ name: `${stem}-charts.png`, data: png });
      return `Saved ${stem}-charts.png.`;
    });
  const exportJson = () =>
    act(async () => {
      const query = serializeSettings({ ...settings, view: 'playground' });
      downloadFile({
        name: `${stem}-runs.json`,
        data: raceJson({ runs, query, backend: pg.backend?.active ?? '' }),
        type: 'application/json',
      });
      return `Saved ${stem}-runs.json (settings and curves; import it here or in History).`;
    });
  const exportModel = () =>
    act(async () => {
      const m = await pg.exports.model(run!.id);
      const name = `${safeStem(run!.id)}.model.json`;
      await downloadFiles([
        { name, data: m.modelJson, type: 'application/json' },
        { name: m.weightsName, data: m.weights },
      ]);
      return `Saved ${name} and ${m.weightsName} (tfjs layers format; load with tf.loadLayersModel).`;
    });
  const exportPrediction = () =>
    act(async () => {
      const p = await pg.exports.prediction(run!.id);
      const table = p.table ? [{ name: p.table.name, data: p.table.bytes }] : [];
      await downloadFiles([
        { name: p.segmentation.name, data: p.segmentation.bytes },
        { name: p.probability.name, data: p.probability.bytes },
        ...table,
      ]);
      const also = p.table ? ` and its label table ${p.table.name}` : '';
      return `Saved ${p.segmentation.name} and ${p.probability.name}${also} (step ${p.step}, on the input's grid).`;
    });
  const exportData = () =>
    act(async () => {
      const files = await pg.exports.volumes();
      await downloadFiles(files.map((f) => ({ name: f.name, data: f.bytes })));
      return `Saved ${files.map((f) => f.name).join(', ')}.`;
    });
  const exportProject = () =>
    act(async () => {
      const p = await pg.exports.exportProject(settings, runs);
      downloadFile({ name: p.name, data: p.bytes, type: 'application/zip' });
      const mb = (p.bytes.length / 2 ** 20).toFixed(1);
      const from = p.trainedRuns.length ? `trained weights of ${p.trainedRuns.join(', ')}` : 'initial weights';
      return `Saved ${p.name} (${mb} MB, ${from}): unzip it and follow its README (python3 train.py --data …).`;
    });
  const importJson = (file: File | undefined) =>
    act(async () => {
      if (!file) return '';
      const parsed = parseHistoryJson(await file.text());
      if (input.current) input.current.value = '';
      if (!parsed.ok) throw new Error(`${file.name}: ${parsed.message}`);
      const exp = parsed.experiments[0];
      if (!exp) throw new Error(`${file.name}: the file holds no runs`);
      pg.store.restore(exp.runs);
      const more =
        parsed.experiments.length > 1
          ? ` The file holds ${parsed.experiments.length} experiments: History imports them all.`
          : '';
      notify(`Imported "${exp.name}" from ${file.name}: its settings were ?${exp.query}.${more}`);
      return `Imported ${exp.runs.length} run${exp.runs.length === 1 ? '' : 's'} from ${file.name}.`;
    });

  return (
    <section className="export-bar" aria-label="Export">
      <span className="export-title">Export</span>
      <button type="button" onClick={() => void exportCsv()} disabled={busy || !runs.some((r) => r.steps.length)}>
        Curves CSV
      </button>
      <button type="button" onClick={() => void exportPng()} disabled={busy || !runs.some((r) => r.steps.length)}>
        Charts PNG
      </button>
      <button type="button" onClick={() => void exportJson()} disabled={busy || runs.length === 0}>
        Runs JSON
      </button>
      <button
        type="button"
        onClick={() => void exportModel()}
        disabled={busy || !trained}
        title={run ? `model of ${run.label}` : undefined}
      >
        Model (tfjs)
      </button>
      <button type="button" onClick={() => void exportPrediction()} disabled={busy || !trained}>
        Prediction NIfTI
      </button>
      <button type="button" onClick={() => void exportData()} disabled={busy || !pg.data}>
        {pg.dataSource ? 'Volumes NIfTI' : 'Phantom NIfTI'}
      </button>
      <button
        type="button"
        onClick={() => void exportProject()}
        disabled={busy || !pg.data || runs.length === 0}
        title="the data, the network, the losses and the weights as a PyTorch project"
      >
        Take it further (PyTorch)
      </button>
      {busy && status?.text.startsWith('Building the PyTorch project') && <progress aria-label="Take it further progress" />}
      <label className="io-file-button">
        Import runs JSON…
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          aria-label="Import runs JSON"
          onChange={(e) => void importJson(e.target.files?.[0])}
        />
      </label>
      {pg.dataSource && (
        <span className="export-source">
          Data: {pg.dataSource}{' '}
          <button type="button" onClick={() => pg.adoptData(null, null)} disabled={pg.playing}>
            Back to the phantom
          </button>
        </span>
      )}
      {settings.init && <span className="export-source">Runs start from checkpoint {settings.init}.</span>}
      <output className={status?.error ? 'export-status error' : 'export-status'} aria-label="Export status" aria-live="polite">
        {status?.text ?? ''}
      </output>
    </section>
  );
}

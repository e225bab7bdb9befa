// History: every saved experiment (one run or a race) with reopen, rename, export and delete; import of
// exported files; how much browser storage the runs use, and a way out when it is full.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { storageEstimate } from '../../state/persist/db';
import { type ExperimentRecord, recordStatus, runStatus } from '../../state/persist/records';
import type { ViewProps } from '../views';
import { downloadText, fileStem, formatBytes } from './download';
import './history.css';

const STATUS_TEXT: Record<ExperimentRecord['status'], string> = {
  idle: 'not started',
  running: 'interrupted',
  paused: 'paused',
  finished: 'finished',
  stopped: 'stopped',
  failed: 'stopped by a fault',
};

function lastStep(r: ExperimentRecord): number {
  return Math.max(0, ...r.runs.map((x) => x.steps.at(-1)?.step ?? 0));
}

function runText(r: ExperimentRecord): string {
  return r.runs
    .map((x) => {
      const v = x.validation.at(-1)?.dice;
      return `${x.label} ${runStatus(x)}${v === undefined || Number.isNaN(v) ? '' : ` (Dice ${v.toFixed(2)})`}`;
    })
    .join(', ');
}

export function HistoryView({ pg, settings, onChange, notify }: ViewProps) {
  const rel = pg.reliability;
  const relState = useSyncExternalStore(rel.subscribe, rel.getState);
  const [records, setRecords] = useState<ExperimentRecord[] | null>(null);
  const [usage, setUsage] = useState<{ usage: number; quota: number } | null>(null);
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try {
      setRecords(await rel.db.list());
      setUsage(await storageEstimate());
    } catch (err) {
      setMessage({ text: `Saved runs could not be read: ${(err as Error).message}`, error: true });
      setRecords([]);
    }
  }, [rel]);

  // Re-read when records change and every few seconds while a run is being saved.
  // biome-ignore lint/correctness/useExhaustiveDependencies: historyVersion stands for "records changed"
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 3000);
    return () => clearInterval(t);
  }, [refresh, relState.historyVersion]);

  const act = async (what: () => Promise<string | undefined>) => {
    try {
      const text = await what();
      if (text) setMessage({ text, error: false });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    }
    await refresh();
  };

  const reopen = (r: ExperimentRecord) =>
    act(async () => {
      const s = await pg.reopen(r.id);
      onChange({ ...s, view: 'playground', backend: settings.backend, hide: settings.hide });
      notify(`Reopened "${r.name}".`);
      return undefined;
    });

  const exportOne = (r: ExperimentRecord) =>
    act(async () => {
      downloadText({ name: `${fileStem(r.name)}.json`, text: await rel.db.exportJson([r.id]) });
      return `Exported "${r.name}".`;
    });

  const exportAll = () =>
    act(async () => {
      downloadText({ name: 'playground-history.json', text: await rel.db.exportJson() });
      return 'Exported every saved run.';
    });

  const remove = (ids: string[]) =>
    act(async () => {
      await rel.remove(ids);
      setConfirming(null);
      return `Deleted ${ids.length} saved run${ids.length === 1 ? '' : 's'}.`;
    });

  const rename = () =>
    act(async () => {
      if (!editing) return undefined;
      await rel.rename(editing.id, editing.name);
      setEditing(null);
      return 'Renamed.';
    });

  const importFile = (file: File | undefined) =>
    act(async () => {
      if (!file) return undefined;
      // Read locally: the file never leaves the browser.
      const summary = await rel.db.importJson(await file.text());
      if (fileInput.current) fileInput.current.value = '';
      if (!summary.ok) throw new Error(`${file.name}: ${summary.message}`);
      return [summary.message, ...summary.notices].join(' ');
    });

  const finished = (records ?? []).filter((r) => ['finished', 'stopped'].includes(recordStatus(r)));

  return (
    <section className="history" aria-label="History">
      <header className="history-head">
        <h2>Saved runs</h2>
        <p className="history-storage" role="status" aria-label="Storage">
          {relState.durable
            ? `Saved in this browser only (IndexedDB)${usage ? `: ${formatBytes(usage.usage)} used of ${formatBytes(usage.quota)} by these runs, the Sweeps tab's sweeps and the last phantom dataset (kept so a link opens faster) together` : ''}.`
            : 'This window cannot save (no IndexedDB, e.g. a private window): export runs to keep them.'}
        </p>
        <div className="history-actions">
          <button type="button" onClick={() => void exportAll()} disabled={!records?.length}>
            Export all
          </button>
          <label className="button-like">
            Import…
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              aria-label="Import saved runs"
              onChange={(e) => void importFile(e.target.files?.[0])}
            />
          </label>
          <button type="button" onClick={() => void remove(finished.map((r) => r.id))} disabled={finished.length === 0}>
            Delete finished runs ({finished.length})
          </button>
        </div>
      </header>
      {relState.storage && (
        <p role="alert" className="history-problem">
          {relState.storage.message}
        </p>
      )}
      {message?.error && (
        <p role="alert" className="history-problem">
          {message.text}
        </p>
      )}
      {message && !message.error && (
        <p role="status" aria-label="History message" className="history-ok">
          {message.text}
        </p>
      )}
      {records !== null && records.length === 0 && (
        <p>No saved playground runs yet: train something and it is saved as it goes. Sweeps are kept in the Sweeps tab.</p>
      )}
      {records !== null && records.length > 0 && (
        <table className="history-table" aria-label="Saved runs">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Saved</th>
              <th scope="col">Runs</th>
              <th scope="col">Step</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {editing?.id === r.id ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void rename();
                      }}
                    >
                      <input
                        aria-label={`New name for ${r.name}`}
                        value={editing.name}
                        maxLength={200}
                        onChange={(e) => setEditing({ id: r.id, name: e.target.value })}
                      />
                      <button type="submit">Save name</button>
                      <button type="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    r.name
                  )}
                </th>
                <td>{new Date(r.updatedAt).toLocaleString()}</td>
                <td className="history-runs">{runText(r)}</td>
                <td>
                  {lastStep(r)}
                  {r.checkpointStep !== null && recordStatus(r) !== 'finished' ? ` (weights at ${r.checkpointStep})` : ''}
                </td>
                <td>{STATUS_TEXT[recordStatus(r)]}</td>
                <td className="history-row-actions">
                  <button type="button" aria-label={`Reopen ${r.name}`} onClick={() => void reopen(r)}>
                    Reopen
                  </button>
                  <button type="button" aria-label={`Rename ${r.name}`} onClick={() => setEditing({ id: r.id, name: r.name })}>
                    Rename
                  </button>
                  <button type="button" aria-label={`Export ${r.name}`} onClick={() => void exportOne(r)}>
                    Export
                  </button>
                  {confirming === r.id ? (
                    <>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Confirm delete ${r.name}`}
                        onClick={() => void remove([r.id])}
                      >
                        Delete for good
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button type="button" aria-label={`Delete ${r.name}`} onClick={() => setConfirming(r.id)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

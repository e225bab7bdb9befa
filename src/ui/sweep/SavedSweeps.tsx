// Stored sweeps: pick one to show, resume an unfinished one, export (JSON, Markdown, CSV), import, delete.
import { useRef, useState } from 'react';
import { runCount } from '../../domain/sweep/plan';
import { sweepReportMarkdown } from '../../domain/sweep/report';
import { assembleTables, tablesToCsv } from '../../domain/sweep/table';
import type { SweepRecord } from '../../domain/sweep/types';
import type { SweepController } from '../../state/sweeps';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const fileName = (r: SweepRecord) => r.name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '') || 'sweep';

export function SavedSweeps(p: {
  records: SweepRecord[];
  selectedId: string | null;
  activeId: string | null;
  controller: SweepController;
  backend: string | null;
  notify: (m: string) => void;
}) {
  const { records, controller } = p;
  const input = useRef<HTMLInputElement>(null);
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const selected = records.find((r) => r.id === p.selectedId) ?? null;
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const parsed = await controller.importText(await file.text());
    if (input.current) input.current.value = '';
    if (!parsed.ok) return setImportErrors([`${file.name} was not imported:`, ...parsed.errors]);
    setImportErrors([]);
    p.notify(
      `Imported sweep "${parsed.record.name}" (${parsed.record.results.length} runs)${parsed.warnings.length ? `; ${parsed.warnings.join('; ')}` : ''}.`,
    );
  };
  return (
    <section className="saved-sweeps" aria-label="Saved sweeps">
      <div className="saved-head">
        <h3>Saved sweeps</h3>
        <label className="import-button">
          Import sweep JSON
          <input
            ref={input}
            type="file"
            accept=".json,application/json"
            aria-label="Import sweep JSON"
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
        </label>
      </div>
      {importErrors.length > 0 && (
        <div role="alert" className="sweep-import-errors">
          <ul>
            {importErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          <button type="button" onClick={() => setImportErrors([])}>
            Dismiss
          </button>
        </div>
      )}
      {records.length === 0 ? (
        <p className="hint">No sweeps yet: start one above, or import a file written by `npm run sweep`.</p>
      ) : (
        <table aria-label="Saved sweeps list" className="saved-list">
          <tbody>
            {records.map((r) => (
              <tr key={r.id} aria-selected={r.id === p.selectedId} className={r.id === p.selectedId ? 'selected' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    onClick={() => controller.select(r.id)}
                    aria-label={`Show ${r.name} (${new Date(r.createdAt).toLocaleString()})`}
                  >
                    {r.name}
                  </button>
                </th>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.state}</td>
                <td>
                  {r.results.length}/{runCount(r.spec)} runs
                </td>
                <td>
                  {r.state !== 'running' && r.state !== 'paused' && r.results.length < runCount(r.spec) && (
                    <button
                      type="button"
                      disabled={!!p.activeId || !p.backend}
                      onClick={() => void controller.resumeStored(r.id, p.backend ?? '')}
                      aria-label={`Resume ${r.name}`}
                    >
                      Resume
                    </button>
                  )}
                  <button
                    type="button"
                    disabled={r.id === p.activeId}
                    onClick={() => void controller.remove(r.id)}
                    aria-label={`Delete ${r.name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <div className="sweep-exports" role="toolbar" aria-label="Export sweep">
          <button
            type="button"
            onClick={() => download(`${fileName(selected)}.json`, controller.exportJson(selected.id) ?? '', 'application/json')}
          >
            Export JSON
          </button>
          <button
            type="button"
            onClick={() => download(`${fileName(selected)}.md`, sweepReportMarkdown({ record: selected }), 'text/markdown')}
          >
            Export Markdown
          </button>
          <button
            type="button"
            onClick={() =>
              download(
                `${fileName(selected)}.csv`,
                tablesToCsv({ tables: assembleTables({ spec: selected.spec, results: selected.results }) }),
                'text/csv',
              )
            }
          >
            Export CSV
          </button>
        </div>
      )}
    </section>
  );
}

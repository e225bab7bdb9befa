// The Data group while the playground trains on the user's volumes: which subjects, files and labels are
// in use (instead of the phantom's controls), and the way back to the phantom. State in, callbacks out.
import { useSyncExternalStore } from 'react';
import type { UserDataController } from '../../state/user-data';

export function UserDataSummary(p: { data: UserDataController; source: string; onPhantom: () => void; disabled: boolean }) {
  const { report, choices } = useSyncExternalStore(p.data.subscribe, p.data.getState);
  const names = new Map(report?.labelValues.map((v) => [v.value, v.name]));
  const fg = report?.classValues?.slice(1) ?? report?.foreground ?? [];
  const shown = fg.slice(0, 8).map((v) => (names.get(v) ? `${v} ${names.get(v)}` : String(v)));
  return (
    <section aria-label="Your data in use">
      <p className="readout">Training on {p.source}.</p>
      {report && (
        <ul className="io-messages">
          {report.subjects.map((s) => (
            <li key={s.id}>
              {s.id}: {s.images.map((n) => n.split('/').pop()).join(', ')}
              {s.label ? ` + ${s.label.split('/').pop()}` : ' (no label)'}
              {s.dims ? ` · ${s.dims.join('×')}` : ''}
              {s.foregroundVoxels !== undefined ? ` · ${s.foregroundVoxels.toLocaleString('en-US')} foreground voxels` : ''}
            </li>
          ))}
        </ul>
      )}
      {report && (
        <p className="readout" role="status" aria-label="Labels in use">
          {choices.classes === 'all' && report.classValues
            ? `${report.classValues.length - 1} classes kept: `
            : `foreground (one class) = label ${fg.length === 1 ? '' : 's '}`}
          {shown.join(', ')}
          {fg.length > shown.length ? ` … (${fg.length} in all)` : ''}
        </p>
      )}
      <p className="hint">Change files and labels in Your data; the phantom controls return with the phantom.</p>
      <button type="button" onClick={p.onPhantom} disabled={p.disabled}>
        Back to the phantom
      </button>
    </section>
  );
}

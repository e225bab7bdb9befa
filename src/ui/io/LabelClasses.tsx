// How a multi-label map is trained: chosen label values merged into one foreground, or kept as classes
// (at most 15 foreground classes; GDL and WCE are multi-class, the paper's DL2 and SS two-class). Atlases
// hold hundreds of labels, so they are found by value or by name (from a label table) and picked in bulk.
import { useState } from 'react';
import type { UserDataChoices, UserDataReport } from '../../engine/io/api';

/** Most foreground classes a label map kept as classes may have (MAX_TRAIN_CLASSES - 1 in the engine). */
const MAX_KEPT = 15;
/** Rows listed at once; the rest are reached by the search box. */
const SHOWN = 40;

export function LabelClasses(p: { report: UserDataReport; choices: UserDataChoices; onChoices: (c: UserDataChoices) => void }) {
  const { report, choices } = p;
  const [query, setQuery] = useState('');
  const nonzero = report.labelValues.filter((v) => v.value !== 0);
  if (nonzero.length < 2) return null;
  const keepAll = choices.classes === 'all';
  const fg = new Set(report.foreground);
  const setForeground = (values: Iterable<number>) => {
    const { foregroundNames: _, ...rest } = choices;
    p.onChoices({ ...rest, foreground: [...new Set(values)].sort((a, b) => a - b) });
  };
  const toggle = (value: number) => {
    const next = new Set(fg);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    setForeground(next);
  };
  const q = query.trim().toLowerCase();
  const matching = q ? nonzero.filter((v) => String(v.value) === q || v.name?.toLowerCase().includes(q)) : nonzero;
  const named = nonzero.some((v) => v.name);
  return (
    <fieldset className="io-options" aria-label="Label classes">
      <legend>Label classes ({nonzero.length} label values)</legend>
      <label>
        <input
          type="radio"
          name="label-classes"
          checked={!keepAll}
          onChange={() => p.onChoices({ ...choices, classes: 'merge' })}
        />{' '}
        One foreground: the chosen labels against the rest
      </label>
      <label>
        <input type="radio" name="label-classes" checked={keepAll} onChange={() => p.onChoices({ ...choices, classes: 'all' })} />{' '}
        Keep the chosen labels as classes (at most {MAX_KEPT}; the rest is background; GDL and WCE train them all, the paper's DL2
        and SS are two-class)
      </label>
      <fieldset className="io-options" aria-label="Foreground labels">
        <legend>
          Foreground label(s): {report.foreground.length} chosen
          {report.labelTables.length > 0 && ` · names from ${report.labelTables.join(', ')}`}
        </legend>
        <label>
          Find labels{' '}
          <input
            aria-label="Find labels by value or name"
            placeholder={named ? 'value or name, e.g. hippocampus' : 'value'}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>{' '}
        {/* "Only" replaces the choice (every label is chosen by default, so adding to it would change nothing). */}
        <button type="button" onClick={() => setForeground(matching.map((v) => v.value))} disabled={!matching.length}>
          Only the {matching.length} listed
        </button>{' '}
        <button type="button" onClick={() => setForeground([...fg, ...matching.map((v) => v.value)])} disabled={!matching.length}>
          Add the {matching.length} listed
        </button>{' '}
        <button type="button" onClick={() => setForeground([])}>
          Every label (default)
        </button>
        <div className="io-label-list">
          {matching.slice(0, SHOWN).map((v) => (
            <label key={v.value}>
              <input type="checkbox" checked={fg.has(v.value)} onChange={() => toggle(v.value)} /> {v.value}
              {v.name ? ` ${v.name}` : ''} ({v.count.toLocaleString('en-US')} voxels)
            </label>
          ))}
          {matching.length > SHOWN && <span className="hint">… and {matching.length - SHOWN} more: narrow the search</span>}
        </div>
        {!named && (
          <span className="hint">
            Drop a label table beside the map (LUT, niivue JSON, .tsv/.csv of value and name) to find labels by name.
          </span>
        )}
      </fieldset>
    </fieldset>
  );
}

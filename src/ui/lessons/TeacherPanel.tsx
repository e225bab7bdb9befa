// Teacher mode: tick the controls students should not see; the page hides them at once and the link
// below carries them (`_hide=`). The list is the documentation of every hideable name.
import { useState } from 'react';
import { type Settings, serializeSettings } from '../../state/settings';
import { HIDEABLE } from './hideable';

const GROUPS = [...new Set(HIDEABLE.map((c) => c.where))];

export function TeacherPanel({ settings, onChange }: { settings: Settings; onChange: (p: Partial<Settings>) => void }) {
  const [copied, setCopied] = useState(false);
  const hidden = new Set(settings.hide);
  const toggle = (name: string) => {
    const next = new Set(hidden);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange({ hide: HIDEABLE.map((c) => c.name).filter((n) => next.has(n)) });
    setCopied(false);
  };
  // Built from the settings (as usePlayground writes the address bar), so it is current on this render.
  const query = serializeSettings(settings);
  const link = `${window.location.origin}${window.location.pathname}${query ? `?${query}` : ''}`;
  return (
    <details className="teacher-panel" data-control="teacher_panel">
      <summary>Teacher mode: hide controls</summary>
      <p className="hint">
        Hidden controls disappear from every view for anyone opening the link (the URL's <code>_hide=</code> list). Hide{' '}
        <code>teacher_panel</code> too, or students can tick them back. Open a lesson step first to hand out that step.
      </p>
      <div className="teacher-groups">
        {GROUPS.map((g) => (
          <fieldset key={g} className="group">
            <legend>{g}</legend>
            {HIDEABLE.filter((c) => c.where === g).map((c) => (
              <label key={c.name} className="inline teacher-name" title={c.what}>
                <input
                  type="checkbox"
                  checked={hidden.has(c.name)}
                  onChange={() => toggle(c.name)}
                  aria-label={`Hide ${c.name}`}
                />
                <code>{c.name}</code> <span className="hint">{c.what}</span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      <label className="teacher-link">
        Link for students
        <input readOnly value={link} aria-label="Link for students" onFocus={(e) => e.target.select()} />
      </label>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(link)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        {copied ? 'Copied' : 'Copy student link'}
      </button>
    </details>
  );
}

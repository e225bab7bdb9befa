// The header's account of how auto chose the backend: the active backend's measured ms/step, what
// was timed or skipped (a disclosure), and "Measure again" (a fresh engine that times them anew).
import { useState } from 'react';
import type { BackendReport, MeasuredBackend } from '../engine/backend/backend';

const HOW: Record<BackendReport['chosenBy'], string> = {
  measured: 'measured',
  remembered: 'remembered',
  'only-one': 'only one usable',
  forced: 'forced',
};

const msText = (ms: number) => `${Math.round(ms).toLocaleString('en-US')} ms/step`;

/** "wasm 95 ms/step", "webgl: stopped: warm-up ...", "webgpu: software adapter (swiftshader), skipped". */
export function measuredText(m: MeasuredBackend): string {
  if (m.msPerStep !== undefined) return `${m.name} ${msText(m.msPerStep)}`;
  return `${m.name}: ${m.skipped ?? m.error ?? 'not measured'}`;
}

export interface BackendMeasureProps {
  backend: BackendReport;
  /** Absent while no fresh engine can be started (a forced backend has nothing to choose). */
  onMeasureAgain?: () => void;
  busy: boolean;
}

export function BackendMeasure({ backend, onMeasureAgain, busy }: BackendMeasureProps) {
  const [open, setOpen] = useState(false);
  const own = backend.measured.find((m) => m.name === backend.active && m.msPerStep !== undefined);
  const summary = `${own?.msPerStep !== undefined ? `${msText(own.msPerStep)}, ` : ''}${HOW[backend.chosenBy]}`;
  // A forced backend with nothing measured has nothing to add: the header names the backend already
  // (and stays on one line at 1024 px).
  if (backend.chosenBy === 'forced' && backend.measured.length === 0) return null;
  const details = backend.measured.length > 0 || backend.requested === 'auto';
  return (
    <span className="backend-measure">
      <output aria-label="Backend choice">{summary}</output>{' '}
      {details && (
        <button
          type="button"
          className="link"
          aria-expanded={open}
          aria-controls="backend-measured"
          aria-label={open ? 'hide what was measured' : 'details: what was measured'}
          onClick={() => setOpen(!open)}
        >
          {open ? 'hide' : 'details'}
        </button>
      )}
      {open && (
        <span id="backend-measured" className="backend-measure-body">
          <output aria-label="Backends measured">
            {backend.measured.length ? backend.measured.map(measuredText).join('; ') : 'nothing measured'}
          </output>
          {backend.requested === 'auto' && onMeasureAgain && (
            <button type="button" onClick={onMeasureAgain} disabled={busy}>
              Measure again
            </button>
          )}
        </span>
      )}
    </span>
  );
}

import { useState } from 'react';
import { ThemeToggle } from './ThemeToggle';
import type { BackendReport } from '../engine/backend/backend';
import { BackendMeasure } from './BackendMeasure';

export interface HeaderProps {
  backend: BackendReport | null;
  error: string | null;
  /** auto only: restarts the engine with a fresh measurement (runs continue from their checkpoint). */
  onMeasureAgain?: () => Promise<void>;
}

export function Header({ backend, error, onMeasureAgain }: HeaderProps) {
  const [measuring, setMeasuring] = useState(false);
  const measureAgain =
    onMeasureAgain &&
    (() => {
      setMeasuring(true);
      void onMeasureAgain().finally(() => setMeasuring(false));
    });
  const fallback = backend?.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.error}`) ?? [];
  if (backend?.wasm?.reason) fallback.push(`wasm single-threaded: ${backend.wasm.reason}`);
  return (
    <header className="header">
      <h1>Segmentation loss playground</h1>
      <div className="backend" title={fallback.join('\n')}>
        <label htmlFor="active-backend">Backend</label>{' '}
        <output id="active-backend" aria-label="Active backend">
          {backend?.active ?? (error ? 'error' : 'starting…')}
        </output>
        {backend?.adapter && (
          <output className="adapter" aria-label="WebGPU adapter">
            {' '}
            ({backend.adapter.architecture || backend.adapter.vendor || 'adapter'}
            {backend.adapter.isFallback ? ', software' : ''})
          </output>
        )}
        {backend?.wasm && (
          <output className="adapter" aria-label="Wasm threads" data-pthread-workers={backend.wasm.pthreadWorkers}>
            {' '}
            ({backend.wasm.threads} {backend.wasm.threads === 1 ? 'thread' : 'threads'})
          </output>
        )}
        {backend && <BackendMeasure backend={backend} onMeasureAgain={measureAgain} busy={measuring} />}
        {!backend && measuring && <output aria-label="Backend choice">measuring…</output>}
      </div>
      <details className="about">
        <summary>About</summary>
        <div className="about-body">
          <p>
            This playground reproduces, at laptop scale, Sudre et al. 2017,{' '}
            <a href="https://arxiv.org/abs/1707.03237" target="_blank" rel="noreferrer">
              “Generalised Dice overlap as a deep learning loss function for highly unbalanced segmentations”
            </a>
            . Train small segmentation networks on a synthetic brain, shrink the lesion, and watch which losses still find it:
            weighted cross-entropy (WCE), the two-class Dice loss (DL2), sensitivity–specificity (SS) and the generalised Dice
            loss (GDL), among others.
          </p>
          <p>Everything runs in your browser: no data leaves this page.</p>
        </div>
      </details>
      <span className="privacy">Runs in your browser: no data leaves this page.</span>
      <ThemeToggle />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </header>
  );
}

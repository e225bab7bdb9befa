// Train was pressed on runs the estimate says would not fit or would crawl: what they need, why, and a way
// out, before anything starts. A modal dialog with two buttons; Escape cancels.
import { useEffect, useRef } from 'react';
import { formatBytes, formatMs } from '../domain/estimate';
import type { Playground } from '../state/usePlayground';

export function ConfirmRun({ pg }: { pg: Playground }) {
  const ref = useRef<HTMLDialogElement>(null);
  const e = pg.confirm;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    // showModal where the browser has it (it traps focus); jsdom-like hosts only get the open attribute.
    if (e && !d.open) typeof d.showModal === 'function' ? d.showModal() : d.setAttribute('open', '');
    if (!e && d.open) d.close();
  }, [e]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-run-title" aria-describedby="confirm-run-why" onCancel={() => pg.cancelTrain()}>
      {e && (
        <>
          <h2 id="confirm-run-title">{e.tooBig ? 'This run would probably not fit' : 'This run would be very slow'}</h2>
          <p id="confirm-run-why">
            It {e.problems.join(' and ')}. Estimate: {formatBytes(e.bytes)} of memory, {formatMs(e.msPerStep)} per step,{' '}
            {formatMs(e.totalMs)} for every step of every run.
          </p>
          <p>{e.suggestion}</p>
          <div className="confirm-actions">
            <button type="button" className="primary" onClick={() => pg.cancelTrain()}>
              Cancel
            </button>
            <button type="button" onClick={() => void pg.confirmTrain()}>
              Train anyway
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

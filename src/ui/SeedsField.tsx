// The race's replicates: how many seeds each loss trains with (`seeds=` in the link). The race shares
// one dataset and one batch order, so the seeds vary the initial weights only; the label says so.
import { MAX_SEEDS } from '../state/settings';

export function SeedsField(p: { value: number; onChange: (seeds: number) => void; disabled?: boolean }) {
  const clamp = (v: number) => Math.min(MAX_SEEDS, Math.max(1, Math.round(Number.isFinite(v) ? v : 1)));
  return (
    <label data-control="seeds">
      Seeds
      <input
        aria-label="Seeds"
        aria-describedby="seeds-help"
        type="number"
        min={1}
        max={MAX_SEEDS}
        step={1}
        value={p.value}
        onChange={(e) => e.target.value !== '' && p.onChange(clamp(Number(e.target.value)))}
        disabled={p.disabled}
      />
      <span id="seeds-help" className="hint">
        {p.value} {p.value === 1 ? 'replicate' : 'replicates'} per loss, each with its own initialisation and patch order (a
        loss's seed k and every other loss's seed k share both); the chart shows their median and a band
      </span>
    </label>
  );
}

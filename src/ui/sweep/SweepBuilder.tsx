// The sweep builder: a preset or a custom grid (losses, LRs, patch presets, burdens, seeds, steps, window),
// with the run count and a time estimate on the active backend before anything starts.
import { LOSS_IDS, type LossId } from '../../domain/losses';
import { estimateSweep } from '../../domain/sweep/estimate';
import { runCount } from '../../domain/sweep/plan';
import { SWEEP_PRESETS, sweepPreset } from '../../domain/sweep/presets';
import { lossShortLabel } from '../../domain/sweep/labels';
import { isBackendName } from '../../domain/backends';
import { NETWORKS } from '../../domain/networks';
import { LESION_KINDS } from '../../domain/phantom';
import { DEFAULT_DIFFICULTY, DIFFICULTY_DESCRIPTIONS, DIFFICULTY_IDS } from '../../domain/difficulty';
import { formatDuration } from '../format';
import { draftFromPreset, draftToSpec, PATCH_ROWS, type SweepDraft } from '../../state/sweep-draft';

export interface SweepBuilderProps {
  draft: SweepDraft;
  onDraft: (d: SweepDraft) => void;
  backend: string | null;
  /** A sweep is training: the form stays visible but locked. */
  busy: boolean;
  onStart: () => void;
}

function NumberField(p: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (v: number) => void;
  disabled: boolean;
}) {
  return (
    <label>
      {p.label}
      <input
        type="number"
        aria-label={p.label}
        value={Number.isFinite(p.value) ? p.value : ''}
        min={p.min}
        max={p.max}
        step={p.step ?? 1}
        disabled={p.disabled}
        onChange={(e) => p.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
    </label>
  );
}

export function SweepBuilder({ draft, onDraft, backend, busy, onStart }: SweepBuilderProps) {
  const { spec, problems } = draftToSpec(draft);
  const edit = (patch: Partial<SweepDraft>) => onDraft({ ...draft, ...patch, presetId: 'custom' });
  const editSpec = (patch: Partial<SweepDraft['spec']>) => edit({ spec: { ...draft.spec, ...patch } });
  const preset = draft.presetId === 'custom' ? null : sweepPreset(draft.presetId);
  const estimate = problems.length === 0 && backend && isBackendName(backend) ? estimateSweep({ spec, backend }) : null;
  const toggleLoss = (id: LossId) =>
    editSpec({
      losses: draft.spec.losses.includes(id)
        ? draft.spec.losses.filter((l) => l !== id)
        : LOSS_IDS.filter((l) => l === id || draft.spec.losses.includes(l)),
    });
  return (
    <form
      className="sweep-builder"
      aria-label="Sweep builder"
      // Our own checks list every problem; the browser's step/min bubbles would only block the button.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && problems.length === 0) onStart();
      }}
    >
      <label className="wide">
        Preset
        <select
          aria-label="Sweep preset"
          value={draft.presetId}
          disabled={busy}
          onChange={(e) => {
            const id = e.target.value;
            if (id !== 'custom') onDraft(draftFromPreset(id as 'table2'));
          }}
        >
          {SWEEP_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </label>
      {preset && (
        <section className="sweep-preset-note wide" aria-label="Preset scale-down">
          <p>
            <strong>Paper:</strong> {preset.paper}
          </p>
          <p>
            <strong>Here:</strong> {preset.scaleDown}
          </p>
        </section>
      )}
      <fieldset className="wide">
        <legend>Losses</legend>
        <div className="sweep-checks">
          {LOSS_IDS.map((id) => (
            <label key={id}>
              <input type="checkbox" checked={draft.spec.losses.includes(id)} onChange={() => toggleLoss(id)} disabled={busy} />
              {lossShortLabel(id)}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Learning rates
        <input
          type="text"
          aria-label="Learning rates"
          value={draft.lrsText}
          disabled={busy}
          onChange={(e) => edit({ lrsText: e.target.value })}
        />
      </label>
      <label>
        Lesion burdens (%)
        <input
          type="text"
          aria-label="Lesion burdens (%)"
          value={draft.burdensText}
          disabled={busy}
          onChange={(e) => edit({ burdensText: e.target.value })}
        />
      </label>
      <fieldset className="wide">
        <legend>Patch presets (side in voxels, batch)</legend>
        <div className="sweep-patches">
          {PATCH_ROWS.map((id) => {
            const row = draft.patches[id];
            const set = (patch: Partial<typeof row>) => edit({ patches: { ...draft.patches, [id]: { ...row, ...patch } } });
            return (
              <div key={id} className="sweep-patch-row">
                <label>
                  <input
                    type="checkbox"
                    checked={row.on}
                    disabled={busy}
                    onChange={() => set({ on: !row.on })}
                    aria-label={`Use patch preset ${id}`}
                  />
                  {id}
                </label>
                <NumberField
                  label={`${id} side`}
                  value={row.patch}
                  min={4}
                  max={256}
                  disabled={busy || !row.on}
                  onChange={(v) => set({ patch: v })}
                />
                <NumberField
                  label={`${id} batch`}
                  value={row.batch}
                  min={1}
                  max={32}
                  disabled={busy || !row.on}
                  onChange={(v) => set({ batch: v })}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
      <label>
        Network
        <select
          aria-label="Sweep network"
          value={draft.spec.network}
          disabled={busy}
          onChange={(e) => editSpec({ network: e.target.value as SweepDraft['spec']['network'] })}
        >
          {NETWORKS.map((n) => (
            <option key={n.id} value={n.id} title={n.description}>
              {n.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lesion type
        <select
          aria-label="Sweep lesion type"
          value={draft.spec.lesion}
          disabled={busy}
          onChange={(e) => editSpec({ lesion: e.target.value as SweepDraft['spec']['lesion'] })}
        >
          {LESION_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'wmh' ? 'white-matter hyperintensities' : k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Difficulty
        <select
          aria-label="Sweep difficulty"
          value={draft.spec.difficulty ?? DEFAULT_DIFFICULTY}
          disabled={busy}
          onChange={(e) => editSpec({ difficulty: e.target.value as SweepDraft['spec']['difficulty'] })}
        >
          {DIFFICULTY_IDS.map((d) => (
            <option key={d} value={d} title={DIFFICULTY_DESCRIPTIONS[d]}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <NumberField
        label="Phantom size"
        value={draft.spec.size}
        min={32}
        max={192}
        disabled={busy}
        onChange={(v) => editSpec({ size: v })}
      />
      <NumberField
        label="Seeds per cell"
        value={draft.spec.seeds}
        min={1}
        max={10}
        disabled={busy}
        onChange={(v) => editSpec({ seeds: v })}
      />
      <NumberField
        label="Steps per run"
        value={draft.spec.steps}
        min={2}
        max={100000}
        disabled={busy}
        onChange={(v) => editSpec({ steps: v })}
      />
      <NumberField
        label="Last K steps"
        value={draft.spec.lastK}
        min={1}
        max={100000}
        disabled={busy}
        onChange={(v) => editSpec({ lastK: v })}
      />
      <div className="sweep-estimate wide">
        <output aria-label="Sweep estimate">
          {problems.length > 0
            ? 'Fix the settings below to see the estimate.'
            : `${runCount(spec)} runs${estimate ? ` in ${estimate.groups} data groups, about ${formatDuration(estimate.ms)} on ${backend}` : ''}`}
        </output>
        {estimate && <small> ({estimate.basis})</small>}
      </div>
      {problems.length > 0 && (
        <ul className="sweep-problems wide" aria-label="Sweep problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="wide">
        <button type="submit" className="primary" disabled={busy || problems.length > 0}>
          Start sweep
        </button>
      </div>
    </form>
  );
}

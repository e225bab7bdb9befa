// Formula and options of the selected loss(es). Option values are kept as strings (URL form);
// the engine validates them when a run starts.
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useLayoutEffect, useMemo, useRef } from 'react';
import {
  LOSSES,
  OPTION_SPECS,
  optionDefaultText,
  optionFieldsOf,
  ownDefaultsText,
  ownersOf,
  sharedDefaultText,
} from '../domain/losses';

export interface LossOptionsPanelProps {
  lossIds: string[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  disabled: boolean;
}

function Formula({ tex }: { tex: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: true }), [tex]);
  const ref = useRef<HTMLDivElement>(null);
  // A formula wider than the column is scaled down to fit it (never below half size, then it scrolls).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new formula must be fitted again (its size changes, the box may not)
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fitWidth = () => {
      el.style.fontSize = '';
      const ratio = el.clientWidth / Math.max(1, el.scrollWidth);
      if (ratio < 1) el.style.fontSize = `${Math.max(0.5, ratio * 0.97) * 0.8}rem`;
    };
    fitWidth();
    const watch = new ResizeObserver(fitWidth);
    watch.observe(el);
    return () => watch.disconnect();
  }, [html]);
  return (
    <div
      ref={ref}
      className="formula"
      data-control="formula"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of our own formula strings.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

export function LossOptionsPanel({ lossIds, values, onChange, disabled }: LossOptionsPanelProps) {
  const infos = LOSSES.filter((l) => lossIds.includes(l.id));
  const fields = optionFieldsOf(infos.map((l) => l.id));
  // In a race, each option says which of the raced losses it reaches (only those get it).
  const reaches = (field: string) => {
    if (infos.length < 2) return '';
    const owners = ownersOf(field).filter((id) => lossIds.includes(id));
    return owners.length === infos.length ? '' : ` (${owners.join(', ')})`;
  };
  // Each loss's own default (GDL includes the background, Dice does not): a value equal to the selected
  // losses' common default is left unset; where their defaults differ, any value chosen is set for all.
  const set = (field: (typeof fields)[number], v: string) => {
    const next = { ...values };
    if (v === sharedDefaultText(field, lossIds) || v === '') delete next[field];
    else next[field] = v;
    onChange(next);
  };
  const mixed = (field: (typeof fields)[number]) =>
    values[field] === undefined && sharedDefaultText(field, lossIds) === null
      ? ` (each its default: ${ownDefaultsText(field, lossIds)})`
      : '';
  return (
    <div className="loss-options" data-control="loss_options">
      {infos.length === 1 && (
        <>
          <Formula tex={infos[0].formula} />
          <p className="hint" data-control="formula">
            <strong>{infos[0].label}</strong> ({infos[0].source}): rewards {infos[0].rewards}.
          </p>
        </>
      )}
      {infos.length > 1 && (
        <ul className="loss-names" aria-label="Raced losses">
          {infos.map((l) => (
            <li key={l.id} title={l.rewards}>
              <strong>{l.short}</strong> {l.name} <span className="source">({l.source})</span>
            </li>
          ))}
        </ul>
      )}
      {fields.map((field) => {
        const spec = OPTION_SPECS[field];
        // Mixed own defaults: an empty number box (each loss its own), a checkbox or choice at the shared spec's.
        const value =
          values[field] ??
          sharedDefaultText(field, lossIds) ??
          (spec.kind === 'boolean' || spec.kind === 'enum' ? optionDefaultText(field) : '');
        if (spec.kind === 'boolean') {
          return (
            <label key={field} className="inline" data-control={field} title={spec.description}>
              <input
                type="checkbox"
                checked={value === 'true'}
                onChange={(e) => set(field, String(e.target.checked))}
                disabled={disabled}
              />
              {field}
              {reaches(field)}
              {mixed(field)}
            </label>
          );
        }
        if (spec.kind === 'enum') {
          return (
            <label key={field} data-control={field} title={spec.description}>
              {field}
              {reaches(field)}
              <select aria-label={field} value={value} onChange={(e) => set(field, e.target.value)} disabled={disabled}>
                {spec.values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        return (
          <label key={field} data-control={field} title={spec.description}>
            {field}
            {reaches(field)}
            {mixed(field)}
            <input
              aria-label={field}
              type={spec.kind === 'list' ? 'text' : 'number'}
              min={spec.min}
              max={spec.max}
              step="any"
              value={value}
              onChange={(e) => set(field, e.target.value)}
              disabled={disabled}
            />
          </label>
        );
      })}
    </div>
  );
}

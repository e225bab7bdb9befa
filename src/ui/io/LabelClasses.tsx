// How a multi-label map is trained: chosen label values merged into one foreground, or every value
// kept as its own class (GDL and WCE are multi-class; the paper's DL2 and SS are two-class).
import type { UserDataChoices, UserDataReport } from '../../engine/io/api';

export function LabelClasses(p: { report: UserDataReport; choices: UserDataChoices; onChoices: (c: UserDataChoices) => void }) {
  const { report, choices } = p;
  const nonzero = report.labelValues.filter((v) => v.value !== 0);
  if (nonzero.length < 2) return null;
  const keepAll = choices.classes === 'all';
  const fg = new Set(report.foreground);
  const toggle = (value: number) => {
    const next = new Set(fg);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    p.onChoices({ ...choices, foreground: [...next].sort((a, b) => a - b) });
  };
  return (
    <fieldset className="io-options" aria-label="Label classes">
      <legend>Label classes</legend>
      <label>
        <input
          type="radio"
          name="label-classes"
          checked={!keepAll}
          onChange={() => p.onChoices({ ...choices, classes: 'merge' })}
        />{' '}
        One foreground: the checked labels against the rest
      </label>
      <label>
        <input type="radio" name="label-classes" checked={keepAll} onChange={() => p.onChoices({ ...choices, classes: 'all' })} />{' '}
        Keep all {nonzero.length + 1} classes (0 is background; GDL and WCE train them all, the paper's DL2 and SS are two-class)
      </label>
      <fieldset className="io-options" aria-label="Foreground labels" disabled={keepAll}>
        <legend>Foreground label(s)</legend>
        {nonzero.map((v) => (
          <label key={v.value}>
            <input type="checkbox" checked={keepAll || fg.has(v.value)} onChange={() => toggle(v.value)} /> {v.value} (
            {v.count.toLocaleString('en-US')} voxels)
          </label>
        ))}
      </fieldset>
    </fieldset>
  );
}

// Label tables dropped beside a label map: value -> name, from FSL/FreeSurfer LUT text, a niivue JSON
// colour table, or .txt/.tsv/.csv rows of value and name (a header row naming an 'index'/'name' column is read).
// Pure text parsing: no tf, no DOM.

export type LabelNames = Map<number, string>;

const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));

/** A niivue colour table ({ R, G, B, I?, labels }) or a plain { "value": "name" } object. */
function fromJson(text: string): LabelNames | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return null;
  const o = j as Record<string, unknown>;
  const out: LabelNames = new Map();
  if (Array.isArray(o.labels)) {
    // niivue: labels[k] names the value I[k] when I is given, else the value k.
    const idx = Array.isArray(o.I) ? (o.I as unknown[]) : null;
    o.labels.forEach((name, k) => {
      const v = idx ? Number(idx[k]) : k;
      if (typeof name === 'string' && name.trim() && Number.isInteger(v)) out.set(v, name.trim());
    });
    return out;
  }
  for (const [k, name] of Object.entries(o))
    if (isNumber(k) && Number.isInteger(Number(k)) && typeof name === 'string') out.set(Number(k), name);
  return out.size ? out : null;
}

function splitRow(line: string, sep: 'csv' | 'tsv' | 'space'): string[] {
  if (sep === 'csv') return line.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
  if (sep === 'tsv') return line.split('\t').map((s) => s.trim());
  return line.trim().split(/\s+/);
}

/** Rows of text: value first, then the name (FreeSurfer `17 Left-Hippocampus 220 216 20 0`, FSL `17 0.8 0.8 0.1 Left Hippocampus`). */
function fromText(text: string, name: string): LabelNames | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !/^\s*#/.test(l));
  const sep = /\.csv$/i.test(name) ? 'csv' : lines.some((l) => l.includes('\t')) ? 'tsv' : 'space';
  const out: LabelNames = new Map();
  let valueCol = 0;
  let nameCol = -1;
  lines.forEach((line, row) => {
    const cells = splitRow(line, sep);
    if (row === 0 && !isNumber(cells[0])) {
      // A header row (BIDS dseg.tsv: index, name, ...): find the columns by name.
      const lower = cells.map((c) => c.toLowerCase());
      valueCol = Math.max(
        0,
        lower.findIndex((c) => ['index', 'value', 'label', 'id'].includes(c)),
      );
      nameCol = lower.findIndex(
        (c, i) => i !== valueCol && ['name', 'label_name', 'labelname', 'region', 'structure'].includes(c),
      );
      return;
    }
    const value = Number(cells[valueCol]);
    if (!Number.isInteger(value)) return;
    const label =
      nameCol >= 0
        ? cells[nameCol]
        : sep === 'space'
          ? cells.filter((c, i) => i !== valueCol && !isNumber(c)).join(' ')
          : cells.find((c, i) => i !== valueCol && !isNumber(c));
    if (label?.trim()) out.set(value, label.trim());
  });
  return out.size ? out : null;
}

/** Value -> name from a label table's text, or null when the text is not a label table. */
export function parseLabelTable(params: { name: string; text: string }): LabelNames | null {
  const { name, text } = params;
  return /\.json$/i.test(name) || text.trimStart().startsWith('{') ? fromJson(text) : fromText(text, name);
}

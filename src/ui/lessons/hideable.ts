// Teacher mode: every control the URL can hide (`_hide=name,name`), where it is and what it is. An
// element carries its names in data-control (space-separated: its own name and any family name such as
// `layers`); hiding a name hides every element carrying it, in every view, for as long as the URL says so.

export interface Hideable {
  name: string;
  where: string;
  what: string;
}

const h = (where: string, list: [string, string][]): Hideable[] => list.map(([name, what]) => ({ name, where, what }));

export const HIDEABLE: readonly Hideable[] = [
  ...h('page', [
    ['views', 'the view tabs'],
    ['tab_playground', 'the Playground tab'],
    ['tab_explorer', 'the Loss explorer tab'],
    ['tab_lessons', 'the Lessons tab'],
    ['tab_sweeps', 'the Sweeps tab'],
    ['tab_history', 'the History tab'],
    ['lesson_bar', 'the lesson banner above the playground'],
    ['teacher_panel', 'the teacher-mode panel of the Lessons view'],
  ]),
  ...h('controls: data', [
    ['data', 'the whole Data group'],
    ['lesion', 'lesion type'],
    ['burden', 'lesion burden slider and readouts (also the explorer fraction)'],
    ['noise', 'noise'],
    ['size', 'phantom size'],
    ['seed', 'seed'],
    ['regenerate', 'Regenerate button'],
  ]),
  ...h('controls: network', [['network', 'the Network group']]),
  ...h('controls: loss', [
    ['loss', 'the whole Loss group'],
    ['loss_select', 'the single-loss switch'],
    ['compare', 'compare buttons and loss checkboxes'],
    ['loss_options', 'every loss option (playground and explorer)'],
    ['formula', 'the formula and what the loss rewards'],
    ['lambda', 'SS lambda'],
    ['ssVariant', 'SS variant (paper / NiftyNet)'],
    ['weightType', 'GDL weight type'],
    ['wceWeight', 'WCE weight source'],
    ['epsilon', 'epsilon'],
    ['squared', 'Dice squared denominator'],
    ['includeBackground', 'Dice/Tversky include background'],
    ['gamma', 'focal gamma'],
    ['alpha', 'focal/Tversky alpha'],
    ['beta', 'Tversky beta'],
    ['diceWeight', 'Dice+CE Dice weight'],
    ['ceWeight', 'Dice+CE CE weight'],
    ['perImage', 'pooling per image'],
  ]),
  ...h('controls: training', [
    ['training', 'the whole Training group'],
    ['lr', 'learning rate (preset and value)'],
    ['patch', 'patch preset and size'],
    ['batch', 'batch size'],
    ['steps', 'steps'],
  ]),
  ...h('controls: backend', [['backend', 'the Backend group']]),
  ...h('training bar', [
    ['transport', 'the whole training bar'],
    ['train', 'Train / Pause'],
    ['single_step', 'Step'],
    ['reset', 'Reset'],
    ['copy_link', 'Copy link'],
  ]),
  ...h('viewer', [
    ['viewer', 'the whole viewer'],
    ['viewer_toolbar', 'the viewer toolbar'],
    ['image', 'image (modality) choice'],
    ['plane', 'view plane'],
    ['layers', 'every overlay toggle'],
    ['layer_reference', 'reference overlay'],
    ['layer_prediction', 'prediction overlay'],
    ['layer_errors', 'error overlay'],
    ['prediction_mode', 'prediction as probability / mask'],
    ['slice', 'slice slider'],
  ]),
  ...h('charts and runs', [
    ['charts', 'both training charts'],
    ['dice_chart', 'the Dice chart'],
    ['loss_chart', 'the loss chart'],
    ['runs', 'the runs table'],
  ]),
  ...h('explorer', [
    ['explorer_losses', 'the explorer loss checkboxes'],
    ['predictor', 'the explorer predictor sliders'],
  ]),
];

const NAMES = new Set(HIDEABLE.map((c) => c.name));

export function isHideable(name: string): boolean {
  return NAMES.has(name);
}

/** CSS hiding every element that carries one of the names (names are [a-zA-Z_] only: the URL parser enforces it). */
export function hiddenCss(hide: readonly string[]): string {
  const safe = hide.filter((n) => /^[a-zA-Z_]{1,32}$/.test(n));
  return safe.length ? `${safe.map((n) => `[data-control~="${n}"]`).join(',\n')} { display: none !important; }` : '';
}

/** The page URL with `_hide` set to the given names (others kept). */
export function withHide(url: string, hide: readonly string[]): string {
  const u = new URL(url);
  if (hide.length) u.searchParams.set('_hide', hide.join(','));
  else u.searchParams.delete('_hide');
  return u.toString();
}

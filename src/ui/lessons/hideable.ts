// Teacher mode: every control the URL can hide (`_hide=name,name`), where it is and what it is. An
// element carries its names in data-control (space-separated: its own name and any family name such as
// `layers`); <html data-hide="..."> lists the hidden names and hidden.css (one rule per name, checked
// against this list by a test) hides every element carrying one, in every view.
import { VIEW_IDS } from '../../state/settings';

export interface Hideable {
  name: string;
  where: string;
  what: string;
}

const h = (where: string, list: [string, string][]): Hideable[] => list.map(([name, what]) => ({ name, where, what }));

export const HIDEABLE: readonly Hideable[] = [
  ...h('page', [
    ['views', 'the view tabs'],
    ...VIEW_IDS.map((v): [string, string] => [`tab_${v}`, `the ${v} tab`]),
    ['lesson_bar', 'the lesson banner above the playground'],
    ['teacher_panel', 'the teacher-mode panel of the Lessons view'],
    ['theme', 'the theme switch in the header'],
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
    ['seeds', 'seeds (replicates per loss)'],
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
    ['explorer_pin', 'the explorer Pin button'],
  ]),
];

const NAMES = new Set(HIDEABLE.map((c) => c.name));

export function isHideable(name: string): boolean {
  return NAMES.has(name);
}

/** The rule hidden.css holds for a name: a static sheet, since the page's CSP forbids <style> elements. */
export function hideRule(name: string): string {
  return `[data-hide~="${name}"] [data-control~="${name}"]`;
}

/** The value of <html data-hide>: the hideable names among `hide`, space-separated. */
export function hideAttribute(hide: readonly string[]): string {
  return hide.filter(isHideable).join(' ');
}

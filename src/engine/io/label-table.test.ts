import { describe, expect, it } from 'vitest';
import { parseLabelTable } from './label-table';

const table = (name: string, text: string) => Object.fromEntries(parseLabelTable({ name, text }) ?? []);

describe('label tables', () => {
  it('reads FreeSurfer and FSL LUT rows (value first, colours as numbers, names with spaces)', () => {
    const fs =
      '#No. Label Name:   R   G   B   A\n0   Unknown   0 0 0 0\n17  Left-Hippocampus  220 216 20 0\n53  Right-Hippocampus 220 216 20 0\n';
    expect(table('FreeSurferColorLUT.txt', fs)).toEqual({ 0: 'Unknown', 17: 'Left-Hippocampus', 53: 'Right-Hippocampus' });
    const fsl = '1 0.5 0.1 0.9 Left Hippocampus\n2 0.2 0.3 0.4 Right Amygdala\n';
    expect(table('atlas.lut', fsl)).toEqual({ 1: 'Left Hippocampus', 2: 'Right Amygdala' });
  });

  it('reads BIDS dseg.tsv and csv by their header columns, and value,name without one', () => {
    expect(table('sub-01_dseg.tsv', 'index\tname\tabbreviation\n1\tGray Matter\tGM\n2\tWhite Matter\tWM\n')).toEqual({
      1: 'Gray Matter',
      2: 'White Matter',
    });
    expect(table('labels.csv', 'name,value\n"Precentral_L",1\nPrecentral_R,2\n')).toEqual({
      1: 'Precentral_L',
      2: 'Precentral_R',
    });
    expect(table('labels.csv', '2001,Frontal_Sup_L\n2002,Frontal_Sup_R\n')).toEqual({
      2001: 'Frontal_Sup_L',
      2002: 'Frontal_Sup_R',
    });
  });

  it('reads a niivue colour table (labels by index, or by I when given) and a plain value -> name object', () => {
    const nv = JSON.stringify({ R: [0, 1, 2], G: [0, 1, 2], B: [0, 1, 2], labels: ['', 'Precentral_L', 'Precentral_R'] });
    expect(table('aal.json', nv)).toEqual({ 1: 'Precentral_L', 2: 'Precentral_R' });
    const withI = JSON.stringify({ R: [0, 9], G: [0, 9], B: [0, 9], I: [0, 2001], labels: ['bg', 'Frontal'] });
    expect(table('aal.json', withI)).toEqual({ 0: 'bg', 2001: 'Frontal' });
    expect(table('names.json', '{"5": "lesion", "7": "oedema"}')).toEqual({ 5: 'lesion', 7: 'oedema' });
  });

  it('is null for text that holds no value-name rows', () => {
    expect(parseLabelTable({ name: 'notes.txt', text: 'just some words\nand more' })).toBeNull();
    expect(parseLabelTable({ name: 'sidecar.json', text: '{"RepetitionTime": 2}' })).toBeNull();
    expect(parseLabelTable({ name: 'bad.json', text: '{not json' })).toBeNull();
  });
});

// models/index.json: what each pretrained checkpoint is and how to make it again. tf-free (the page
// reads it too); parseManifest checks the shape and says what is wrong.
import { EngineError } from '../../domain/errors';

export interface CheckpointEntry {
  /** Unique id, also the `init=` URL value for a warm start. */
  id: string;
  network: string;
  /** model.json and weights paths, relative to models/. */
  modelJson: string;
  weights: string;
  bytes: number;
  params: number;
  inChannels: number;
  modalities: string[];
  /** The exact command that produced it (`npm run train -- ...`). */
  command: string;
  /** Data and training settings (phantom, patch, loss, lr, steps, ...). */
  settings: Record<string, string | number | boolean>;
  seed: number;
  /** Validation Dice at the last step, on the dataset's validation subject(s). */
  validationDice: number;
  /** Median (IQR) of the training-batch Dice over the last steps. */
  trainDice: { median: number; iqr: number; window: number };
  backend: string;
  msPerStep: number;
}

export interface CheckpointManifest {
  version: 1;
  checkpoints: CheckpointEntry[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Checks a parsed models/index.json; throws an Error naming the first bad field. */
export function parseManifest(json: unknown): CheckpointManifest {
  const m = json as Partial<CheckpointManifest> | null;
  if (!m || typeof m !== 'object' || m.version !== 1 || !Array.isArray(m.checkpoints))
    throw new EngineError('invalid-request', 'models/index.json: expected { version: 1, checkpoints: [...] }');
  const ids = new Set<string>();
  for (const [i, c] of m.checkpoints.entries()) {
    const where = `models/index.json checkpoints[${i}]`;
    if (!c || typeof c !== 'object') throw new EngineError('invalid-request', `${where}: not an object`);
    for (const k of ['id', 'network', 'modelJson', 'weights', 'command', 'backend'] as const)
      if (!isStr(c[k])) throw new EngineError('invalid-request', `${where}.${k}: expected a string`);
    for (const k of ['bytes', 'params', 'inChannels', 'seed', 'validationDice', 'msPerStep'] as const)
      if (!isNum(c[k])) throw new EngineError('invalid-request', `${where}.${k}: expected a number`);
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(c.id))
      throw new EngineError('invalid-request', `${where}.id: lowercase letters, digits and dashes only`);
    if (ids.has(c.id)) throw new EngineError('invalid-request', `${where}.id: '${c.id}' appears twice`);
    ids.add(c.id);
    if (!Array.isArray(c.modalities) || !c.modalities.every(isStr))
      throw new EngineError('invalid-request', `${where}.modalities: expected strings`);
    if (!c.settings || typeof c.settings !== 'object')
      throw new EngineError('invalid-request', `${where}.settings: expected an object`);
    if (!c.trainDice || !isNum(c.trainDice.median))
      throw new EngineError('invalid-request', `${where}.trainDice: expected { median, iqr, window }`);
  }
  return m as CheckpointManifest;
}

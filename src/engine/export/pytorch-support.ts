// What the exported PyTorch project implements (python/losses.py OPTIONS): the losses and, per loss, the
// options it reads. A run's other options travel only at their defaults (which reproduce what losses.py
// does); a run that needs more is refused with a sentence naming the loss and option.
import { EngineError } from '../../domain/errors';
import { DEFAULT_LOSS_OPTIONS, LOSS_IDS, type LossId, ownedOptions } from '../../domain/losses';

// Every loss of the registry, each with every option it owns (losses.test.ts checks this against losses.py's
// own OPTIONS, so a loss or option added to the registry fails there until Python has it). The boundary loss
// gets each patch's signed distance maps from data.py (batch_distances) and the step from train.py.
export const PYTORCH_LOSS_OPTIONS: Readonly<Partial<Record<LossId, readonly string[]>>> = Object.fromEntries(
  LOSS_IDS.map((id) => [id, ownedOptions(id)]),
);

/** Whether the PyTorch project can train this loss with these (resolved) options. */
export function pytorchProblem(loss: LossId, resolved: Readonly<Record<string, unknown>>): string | null {
  const own = PYTORCH_LOSS_OPTIONS[loss];
  if (!own)
    return `the loss '${loss}' has no PyTorch version in this export yet (it has: ${Object.keys(PYTORCH_LOSS_OPTIONS).join(', ')})`;
  const defaults = DEFAULT_LOSS_OPTIONS[loss] as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(resolved))
    if (!own.includes(k) && JSON.stringify(v) !== JSON.stringify(defaults[k]))
      return `${loss}'s option ${k}=${String(v)} has no PyTorch version in this export yet (only its default ${String(defaults[k])} does)`;
  return null;
}

/** The options a run hands losses.py: those it reads; throws, naming the part, when one cannot be carried. */
export function pytorchOptions(loss: LossId, resolved: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const problem = pytorchProblem(loss, resolved);
  if (problem) throw new EngineError('unsupported', `This run cannot be handed to PyTorch: ${problem}.`);
  const own = PYTORCH_LOSS_OPTIONS[loss]!;
  return Object.fromEntries(Object.entries(resolved).filter(([k]) => own.includes(k)));
}

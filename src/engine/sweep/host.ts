// The engine's sweep methods: one sweep at a time, trained in the background; progress goes out
// as 'sweep' events. The engine host spreads these into its EngineApi.
import type { Emit } from '../api';
import { checkSweepSpec, planSweep } from '../../domain/sweep/plan';
import { SweepRunner, type SweepRunnerParams } from './runner';
import type { StartSweepRequest, StartSweepResult, SweepAction, SweepRunState } from '../../domain/sweep/types';

export interface SweepMethods {
  startSweep(req: StartSweepRequest): Promise<StartSweepResult>;
  controlSweep(req: { action: SweepAction }): Promise<{ state: SweepRunState | 'idle' }>;
}

export function createSweepMethods(params: {
  emit: Emit;
  /** Called before a sweep starts (the host pauses the playground's runs: one thing trains at a time). */
  beforeStart?: () => Promise<unknown>;
  runner?: Partial<Pick<SweepRunnerParams, 'maxRace' | 'progressEveryMs' | 'readEvery'>>;
}): SweepMethods {
  let current: SweepRunner | null = null;
  let finished: Promise<SweepRunState> = Promise.resolve('done');
  return {
    async startSweep({ sweepId, spec, skip }) {
      if (current?.active) throw new Error('a sweep is already running: cancel it before starting another');
      const problems = checkSweepSpec(spec);
      if (problems.length > 0) throw new Error(`invalid sweep: ${problems.join('; ')}`);
      if (typeof sweepId !== 'string' || sweepId.length === 0) throw new Error('invalid sweep: sweepId is required');
      await params.beforeStart?.();
      const plan = planSweep(spec);
      const done = new Set(skip ?? []);
      const todo = plan.cells.filter((c) => !done.has(c.key));
      const runner = new SweepRunner({ sweepId, spec, skip, emit: (p) => params.emit('sweep', p), ...params.runner });
      current = runner;
      finished = runner.run();
      return {
        runsTotal: plan.cells.length,
        runsToDo: todo.length,
        groups: plan.groups.filter((g) => g.cells.some((c) => !done.has(c.key))).length,
      };
    },
    async controlSweep({ action }) {
      const runner = current;
      if (!runner?.active) {
        if (action === 'cancel' || action === 'pause') return { state: runner?.runState ?? 'idle' };
        throw new Error('no sweep is running');
      }
      if (action === 'pause') await runner.pause();
      else if (action === 'resume') runner.resume();
      else {
        await runner.cancel();
        await finished;
      }
      return { state: runner.runState };
    },
  };
}

// Events a training run emits. Plain data (structured-clone safe); typed arrays move, not copy.
export { isFinished, type RunStatus } from '../../domain/runs';

export type { RunEventName, RunEvents, StepPoint } from '../../domain/engine-types';
import type { RunEventName, RunEvents } from '../../domain/engine-types';

export type RunEmit = <K extends RunEventName>(name: K, payload: RunEvents[K]) => void;

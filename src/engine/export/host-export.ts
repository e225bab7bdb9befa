// The engine side of the page's "Take it further" button: the live session's dataset and each run's
// current weights (between steps), zipped with the Python project.
import { EngineError } from '../../domain/errors';
import { CHECKED_VERSIONS } from './versions';
import type { Session } from '../train/session';
import type { ExportProjectRequest, ExportProjectResult } from './api';
import { buildProject, zipProject } from './project';
import { PYTHON_SOURCES } from './python-sources';
import { adamState } from './weights';

export async function exportProjectFrom(session: Session, req: ExportProjectRequest): Promise<ExportProjectResult> {
  const ds = session.data;
  if (!ds) throw new EngineError('invalid-request', 'Nothing to export yet: the data is still being prepared.');
  const networks = new Set(req.runs.map((r) => r.network));
  if (networks.size > 1)
    throw new EngineError('invalid-request', `The runs use ${networks.size} networks; an export holds one network.`);
  return session.betweenSteps(async () => {
    const trained = await Promise.all(
      req.runs.map(async (r) => {
        const t = session.trainers.find((x) => x.runId === r.runId);
        if (!t || t.step === 0) return null;
        const { model, optimizer } = t.checkpointParts;
        return { model, step: t.step, adam: await adamState({ optimizer, model }) };
      }),
    );
    const files = buildProject({
      name: req.name,
      ds,
      network: req.runs[0]?.network ?? 'unet2d',
      runs: req.runs,
      query: req.query,
      sources: PYTHON_SOURCES,
      trained,
      replaySteps: req.replaySteps,
      versions: CHECKED_VERSIONS,
    });
    return {
      name: `${files[0].name.split('/')[0]}.zip`,
      bytes: zipProject(files),
      files: files.length,
      trainedRuns: req.runs.filter((_, i) => trained[i]).map((r) => r.runId),
    };
  });
}

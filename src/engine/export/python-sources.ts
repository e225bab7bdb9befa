// The Python project as the page ships it: the files under python/, bundled as text by Vite (?raw).
// Node scripts and tests read the same files from disk (scripts/export.ts pythonSources).
import data from './python/data.py?raw';
import distance from './python/distance.py?raw';
import exportOnnx from './python/export_onnx.py?raw';
import lossCommon from './python/loss_common.py?raw';
import losses from './python/losses.py?raw';
import metrics from './python/metrics.py?raw';
import models from './python/models.py?raw';
import moreLosses from './python/more_losses.py?raw';
import requirements from './python/requirements.txt?raw';
import sweep from './python/sweep.py?raw';
import train from './python/train.py?raw';
import weights from './python/weights.py?raw';
import type { PYTHON_FILES } from './readme';

export const PYTHON_SOURCES: Record<(typeof PYTHON_FILES)[number], string> = {
  'train.py': train,
  'sweep.py': sweep,
  'models.py': models,
  'losses.py': losses,
  'loss_common.py': lossCommon,
  'more_losses.py': moreLosses,
  'distance.py': distance,
  'metrics.py': metrics,
  'data.py': data,
  'weights.py': weights,
  'export_onnx.py': exportOnnx,
  'requirements.txt': requirements,
};

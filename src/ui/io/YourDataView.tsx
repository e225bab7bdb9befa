// "Your data": bring your own NIfTI volumes (checked before anything trains), the pretrained
// checkpoints (warm start or inference only) and a checkpoint's segmentation with its downloads.
import { useEffect, useSyncExternalStore } from 'react';
import type { CheckpointEntry } from '../../engine/io/manifest';
import { patchAndBatch } from '../../state/settings';
import type { ViewProps } from '../views';
import { CheckpointPanel } from './CheckpointPanel';
import { FilePanel } from './FilePanel';
import { SegmentPanel } from './SegmentPanel';
import './io.css';

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

export function YourDataView({ pg, settings, onChange, notify }: ViewProps) {
  const data = pg.userData;
  const { files, choices, report, busy, error, manifest, checkpointError, segment } = useSyncExternalStore(
    data.subscribe,
    data.getState,
  );
  useEffect(() => void data.loadManifest(), [data]);

  const train = async () => {
    const prepared = await data.prepareTraining({ seed: settings.seed, ...patchAndBatch(settings), network: settings.network });
    if (!prepared) return;
    const { summary, source } = prepared;
    pg.adoptData(summary, source);
    notify(
      `Training data: ${source.label}; ${summary.subjects.train} training, ${summary.subjects.validation} validation subject(s). ${summary.notices.map(sentence).join(' ')}`,
    );
    onChange({ view: 'playground' });
  };

  const start = async (c: CheckpointEntry) => {
    if (!(await data.loadForWarmStart(c))) return;
    onChange({ init: c.id, network: c.network as typeof settings.network, view: 'playground' });
    notify(`New runs start from checkpoint ${c.id} (validation Dice ${c.validationDice.toFixed(3)} on the default phantom).`);
  };

  const target = report?.ok ? `your volume (${report.subjects[0]?.id})` : 'the phantom on screen';
  return (
    <div className="data-view">
      <FilePanel
        files={files}
        report={report}
        choices={choices}
        busy={busy}
        error={error}
        onFiles={(f) => void data.addFiles(f)}
        onFolder={(f) => void data.addFolder(f)}
        onExample={() => void data.loadExample()}
        onClear={() => void data.clear()}
        onChoices={(c) => void data.setChoices(c)}
        onTrain={() => void train()}
        canTrain={!!report?.trainable && !busy && !pg.playing}
      />
      <CheckpointPanel
        manifest={manifest}
        error={checkpointError}
        init={settings.init}
        busy={!!busy || !pg.backend}
        target={target}
        onStart={(c) => void start(c)}
        onSegment={(c) => void data.segmentWith(c)}
        onClearInit={() => onChange({ init: '' })}
      />
      {segment && <SegmentPanel key={`${segment.checkpoint}-${segment.subject}-${segment.ms}`} result={segment} />}
    </div>
  );
}

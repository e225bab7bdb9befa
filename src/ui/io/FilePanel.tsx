// Own volumes: drop zone, file and folder pickers, the real example, one row per file (role, subject, size,
// what a 4D file's 4th dimension is), the checks' problems and notes, the class choice for multi-label maps
// (LabelClasses), and resampling on request. Props in, callbacks out.
import { type DragEvent, useState } from 'react';
import type { FileRole, UserDataChoices, UserDataReport } from '../../engine/io/api';
import { fileName } from '../../state/user-data';
import { LabelClasses } from './LabelClasses';
import { SeriesChoiceSelect } from './SeriesChoice';
import { WorkingSize } from './WorkingSize';

export interface FilePanelProps {
  files: File[];
  report: UserDataReport | null;
  choices: UserDataChoices;
  busy: string | null;
  error: string | null;
  onFiles: (files: File[]) => void;
  /** A picked folder's files (named by their path in it). */
  onFolder: (files: File[]) => void;
  /** Loads the shipped real example (a FLAIR and its lesion mask). */
  onExample: () => void;
  onClear: () => void;
  onChoices: (c: UserDataChoices) => void;
  onTrain: () => void;
  canTrain: boolean;
}

const ROLES: FileRole[] = ['image', 'label', 'table', 'ignore'];
// Not in React's input typings: the folder picker attribute, spread in.
const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  return n < 1024 ** 2 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
}

/** ", 20 channels" when a 4D image gives more input channels than there are images. */
const channelsText = (s: { images: string[]; channels?: number }) =>
  s.channels !== undefined && s.channels !== s.images.length ? `, ${s.channels} channels` : '';

export function FilePanel(p: FilePanelProps) {
  const [over, setOver] = useState(false);
  const { report, choices } = p;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    p.onFiles([...e.dataTransfer.files]);
  };
  const rows =
    report?.files ??
    p.files.map((f) => ({
      name: fileName(f),
      role: undefined,
      subject: '',
      dims: undefined,
      spacing: undefined,
      error: undefined,
    }));
  return (
    <section className="panel" aria-label="Your volumes">
      <h2>Your volumes</h2>
      <p className="privacy-note">
        Nothing leaves your browser: files are read in this tab, checked, trained on and exported here, and never uploaded.
      </p>
      <section
        className={over ? 'drop-zone over' : 'drop-zone'}
        aria-label="Drop NIfTI files here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span>Drop image and label volumes (.nii, .nii.gz, .hdr + .img) and label tables for one or more subjects here, or</span>
        <label className="io-file-button">
          Choose NIfTI files…
          <input
            type="file"
            multiple
            accept=".nii,.gz,.nii.gz,.hdr,.img,.txt,.tsv,.csv,.lut,.json"
            aria-label="Choose NIfTI files"
            onChange={(e) => {
              p.onFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        <label className="io-file-button">
          Choose a folder…
          <input
            type="file"
            multiple
            {...FOLDER_PICKER}
            aria-label="Choose a folder (BIDS or one folder per subject)"
            onChange={(e) => {
              p.onFolder([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" onClick={p.onExample} disabled={!!p.busy}>
          Try a real FLAIR with its lesion mask
        </button>
        {p.files.length > 0 && (
          <button type="button" onClick={p.onClear}>
            Clear
          </button>
        )}
        <span className="hint">
          Names like sub01_T1, sub01_FLAIR, sub01_label group into subjects, BIDS names (sub-01[_ses-1]_T1w with
          _desc-lesion_mask, _dseg or _label-*) by sub and ses, and a one-word name by its folder; a file with seg, mask or label
          in its name is a label. Limits: files up to 2^27 voxels are read; volumes over the working size (160^3 voxels unless
          chosen below) are downsampled (in-plane first, thick slices kept); kept classes: at most 15 foreground labels.
        </span>
      </section>
      {p.files.length > 0 && (
        <table className="io-table" aria-label="Files">
          <thead>
            <tr>
              <th>File</th>
              <th>Role</th>
              <th>Subject</th>
              <th>Voxels</th>
              <th>Voxel size (mm)</th>
              <th>Check</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const file = p.files.find((f) => fileName(f) === r.name);
              return (
                <tr key={r.name}>
                  <td>
                    {r.name} <span className="hint">{file ? formatSize(file.size) : ''}</span>
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${r.name}`}
                      value={choices.roles?.[r.name] ?? r.role ?? 'image'}
                      onChange={(e) =>
                        p.onChoices({ ...choices, roles: { ...choices.roles, [r.name]: e.target.value as FileRole } })
                      }
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={`Subject of ${r.name}`}
                      size={14}
                      defaultValue={r.subject}
                      key={r.subject}
                      onBlur={(e) => {
                        if (e.target.value !== r.subject)
                          p.onChoices({ ...choices, subjects: { ...choices.subjects, [r.name]: e.target.value } });
                      }}
                    />
                  </td>
                  <td>
                    {r.dims?.join(' x ') ?? ''}
                    {'volumes' in r && r.volumes ? (
                      <SeriesChoiceSelect
                        name={r.name}
                        volumes={r.volumes}
                        value={r.series ?? 'channels'}
                        onChange={(v) => p.onChoices({ ...choices, series: { ...choices.series, [r.name]: v } })}
                      />
                    ) : null}
                  </td>
                  <td>{r.spacing?.map((s) => s.toFixed(2)).join(' x ') ?? ''}</td>
                  <td>
                    {r.error ? (
                      <span className="io-problems">{r.error}</span>
                    ) : r.dims ? (
                      `read${'pairedWith' in r && r.pairedWith ? ` with ${r.pairedWith}` : ''}`
                    ) : r.role === 'table' ? (
                      'label table'
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {p.files.length > 0 && (
        <div className="io-options">
          <label>
            <input
              type="checkbox"
              checked={choices.resample === true}
              onChange={(e) => p.onChoices({ ...choices, resample: e.target.checked })}
            />{' '}
            Resample onto the first image's grid
          </label>
          <WorkingSize choices={choices} onChoices={p.onChoices} />
          {report && <LabelClasses report={report} choices={choices} onChoices={p.onChoices} />}
        </div>
      )}
      {p.busy && <p role="status">{p.busy}</p>}
      {p.error && (
        <p className="io-problems" role="alert">
          {p.error}
        </p>
      )}
      {report && report.errors.length > 0 && (
        <ul className="io-messages io-problems" role="alert" aria-label="Problems">
          {report.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {report?.ok && report.trainProblems.length > 0 && (
        <ul className="io-messages io-problems" aria-label="Why not trainable">
          {report.trainProblems.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {report && report.notices.length > 0 && (
        <ul className="io-messages io-notes" aria-label="Notes">
          {report.notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {report?.ok && (
        <p role="status" aria-label="Volumes check">
          {report.subjects.length} subject{report.subjects.length === 1 ? '' : 's'} ready:{' '}
          {report.subjects
            .map(
              (s) =>
                `${s.id} (${s.images.length} image${s.images.length === 1 ? '' : 's'}${channelsText(s)}, ${s.dims?.join('x')}, ${s.foregroundVoxels ?? 'no'} foreground voxels)`,
            )
            .join('; ')}
          {report.classValues && ` · ${report.classValues.length} classes kept (label values ${report.classValues.join(', ')})`}
        </p>
      )}
      <div className="io-actions">
        <button type="button" className="primary" onClick={p.onTrain} disabled={!p.canTrain}>
          Train on these volumes
        </button>
        <span className="hint">
          The Playground's viewer, training and charts then work on them (patch and network from its controls).
        </span>
      </div>
    </section>
  );
}

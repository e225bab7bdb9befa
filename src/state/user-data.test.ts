// The Your data controller against the real engine (in-thread client): a picked folder's files go in by
// their path (BIDS sidecars left out, an .hdr/.img pair joined), and the shipped example is fetched over HTTP.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createInlineClient } from '../worker/client';
import { UserDataController } from './user-data';

const FIX = 'tests/fixtures/nifti/';
/** A File as a folder picker gives it: named by its base name, with its path in the folder. */
const picked = (path: string, bytes: Uint8Array) => {
  const f = new File([Uint8Array.from(bytes)], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
};

// One engine per controller, as on the page (the engine holds the files it was sent).
const clients: ReturnType<typeof createInlineClient>[] = [];
const engine = () => {
  const c = createInlineClient();
  clients.push(c);
  return () => c;
};
let server: Server | null = null;
afterAll(() => {
  for (const c of clients) c.dispose();
  server?.close();
});

describe('UserDataController with the real engine', () => {
  it('a picked BIDS folder: files named by path, the sidecar left out, the pair joined, the subject from sub-01', async () => {
    const data = new UserDataController({ engine: engine(), modelsBase: 'http://127.0.0.1/' });
    await data.addFolder([
      picked('ds/sub-01/func/sub-01_task-rest_bold.hdr', readFileSync(`${FIX}nib_functional_pair.hdr`)),
      picked('ds/sub-01/func/sub-01_task-rest_bold.img', readFileSync(`${FIX}nib_functional_pair.img`)),
      picked('ds/sub-01/func/sub-01_task-rest_bold.json', new TextEncoder().encode('{"RepetitionTime": 2}')),
      picked('ds/README', new TextEncoder().encode('a dataset')),
    ]);
    const { report, files, error } = data.getState();
    expect(error).toBeNull();
    expect(files.map((f) => f.name)).toEqual(['sub-01_task-rest_bold.hdr', 'sub-01_task-rest_bold.img']);
    expect(report?.files.map((f) => [f.name, f.subject, f.pairedWith])).toEqual([
      ['ds/sub-01/func/sub-01_task-rest_bold.hdr', 'sub-01', 'ds/sub-01/func/sub-01_task-rest_bold.img'],
    ]);
    expect(report?.subjects[0].dims).toEqual([17, 21, 3]);
  });

  it('the example is fetched from examples/ beside the app and checked like dropped files', async () => {
    server = createServer((req, res) => {
      try {
        res.end(readFileSync(`public${req.url}`));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const data = new UserDataController({ engine: engine(), modelsBase: base });
    await data.loadExample();
    const { report, error } = data.getState();
    expect(error).toBeNull();
    expect(report?.errors).toEqual([]);
    expect(report?.trainable).toBe(true);
    expect(report?.subjects.map((s) => [s.id, s.foregroundVoxels])).toEqual([['niivue-example', 1125 + 27069 + 4287]]);
    const broken = new UserDataController({ engine: engine(), modelsBase: `${base}missing/` });
    await broken.loadExample();
    expect(broken.getState().error).toMatch(/The example could not be loaded: examples\/niivue-example_FLAIR\.nii\.gz: HTTP 404/);
  });
});

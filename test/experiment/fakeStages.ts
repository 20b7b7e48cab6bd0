/**
 * Test stages for the runner: they write small marker files where the real stages write their folders
 * and count their calls, so planning and caching can be checked without running models.
 */
import { mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../../lib/datasets/types.js';
import { sha256File } from '../../lib/util/hash.js';
import type { Stages } from '../../lib/experiment/stages.js';

export interface Calls {
  [kind: string]: string[];
}

export function fakeStages(): { stages: Stages; calls: Calls } {
  const calls: Calls = {
    split: [],
    extract: [],
    probe: [],
    fuse: [],
    weighted: [],
    recall: [],
    labels: [],
    cka: [],
    report: [],
    classes: [],
  };
  const stages: Stages = {
    async loadDataset(spec, { classes }) {
      const dir = spec.slice(spec.indexOf(':') + 1);
      const files = readdirSync(dir).sort();
      const items = files.map((f, index) => ({ index, path: join(dir, f), label: f[0] }));
      return { spec, name: basename(dir), root: dir, items, ...(classes ? { classes } : {}) } satisfies Dataset;
    },
    async resolveModel(model) {
      const r = model.ref;
      const fingerprint = r.kind === 'file' ? await sha256File(r.path) : r.kind === 'zoo' ? `zoo-${r.id}` : 'logmel-v1';
      return { name: model.name, model, fingerprint, describe: `fake ${model.name}`, path: r.kind === 'file' ? r.path : undefined };
    },
    async split({ dataset, out }) {
      calls.split.push(dataset.name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, 'index,path,label,split\n');
    },
    async extract({ model, dataset, out }) {
      calls.extract.push(`${model.name}/${dataset.name}`);
      writeFileSync(join(out, 'manifest.json'), '{}');
    },
    async probe({ features, out, classes }) {
      calls.probe.push(basename(features));
      calls.classes.push(`${basename(features)}:${classes.join('|')}`);
      writeFileSync(join(out, 'results.csv'), 'model,dataset,layer,seed,split,uar,accuracy,epochs\n');
    },
    async fuse({ out }) {
      calls.fuse.push(basename(out));
    },
    async weighted({ features }) {
      calls.weighted.push(basename(features));
    },
    async recall({ results }) {
      calls.recall.push(basename(results));
    },
    async labels({ results }) {
      calls.labels.push(basename(results));
    },
    async cka({ features, out }) {
      calls.cka.push(`${basename(out)}:${features.map((f) => f.name).join('|')}`);
    },
    async report({ out }) {
      calls.report.push(out);
      writeFileSync(join(out, 'report.html'), '<html></html>');
      return { html: join(out, 'report.html') };
    },
  };
  return { stages, calls };
}

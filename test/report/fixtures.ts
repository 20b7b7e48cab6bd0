/**
 * Results directories for the report's tests, written at test time (deterministic, a few ms):
 * - IMV-like: 4 models (PT animal, 2 PT speech, PT+FT), 3 seeds, clips.csv with durations, a fused dir;
 * - Abzaliev-like: 2 models, no fine-tuned model, 1 seed, durations from start/end only, a fused dir,
 *   UAR stored in percent, and (optionally) a hostile class name;
 * - a CSV dataset with a single model, no clips.csv, a bare manifest and no predictions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../lib/util/npy.js';

export const HOSTILE = '</script><img src=x onerror=alert(1)>';

interface ModelSpec {
  id: string;
  name: string;
  type: string;
  family: string;
  params: number;
  pretraining: string;
  strength: number;
  peak: number;
}

const MODELS: Record<string, ModelSpec> = {
  'aves-bio': {
    id: 'aves-bio',
    name: 'AVES-Bio',
    type: 'PT animal',
    family: 'hubert',
    params: 94_680_000,
    pretraining: 'FSD50K, AudioSet, VGGSound (animal)',
    strength: 0.62,
    peak: 9,
  },
  'hubert-base': {
    id: 'hubert-base',
    name: 'HuBERT',
    type: 'PT speech',
    family: 'hubert',
    params: 94_680_000,
    pretraining: 'LibriSpeech 960 h',
    strength: 0.6,
    peak: 3,
  },
  'w2v2-base': {
    id: 'w2v2-base',
    name: 'W2V2',
    type: 'PT speech',
    family: 'wav2vec2',
    params: 95_040_000,
    pretraining: 'LibriSpeech 960 h',
    strength: 0.57,
    peak: 5,
  },
  'w2v2-base-100h': {
    id: 'w2v2-base-100h',
    name: 'W2V2-100h',
    type: 'PT+FT',
    family: 'wav2vec2',
    params: 95_040_000,
    pretraining: 'LibriSpeech 960 h + 100 h ASR',
    strength: 0.55,
    peak: 6,
  },
  'w2v2-base-960h': {
    id: 'w2v2-base-960h',
    name: 'W2V2-960h',
    type: 'PT+FT',
    family: 'wav2vec2',
    params: 95_040_000,
    pretraining: 'LibriSpeech 960 h + 960 h ASR',
    strength: 0.53,
    peak: 4,
  },
  'wavlm-base': {
    id: 'wavlm-base',
    name: 'WavLM',
    type: 'PT speech',
    family: 'wavlm',
    params: 94_380_000,
    pretraining: 'LibriSpeech 960 h',
    strength: 0.58,
    peak: 4,
  },
  'wavlm-base-100h': {
    id: 'wavlm-base-100h',
    name: 'WavLM-100h',
    type: 'PT+FT',
    family: 'wavlm',
    params: 94_380_000,
    pretraining: 'LibriSpeech 960 h + 100 h ASR',
    strength: 0.56,
    peak: 5,
  },
};

/** The paper's full grid: 7 models x 3 datasets (11, 32 and 14 classes), one seed, a fusion per dataset. */
export function writePaperScaleStudy(root: string): string[] {
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const sets: DatasetSpec[] = [
    { spec: 'imv:/data/imv', classes: names('call-', 11), n: 440, sampleRate: 44100, medianS: 0.127, durations: 'column', percent: false },
    {
      spec: 'watkins:/data/watkins',
      classes: names('Species_', 32),
      n: 640,
      sampleRate: 0,
      medianS: 1.7,
      durations: 'start-end',
      percent: false,
    },
    {
      spec: 'abzaliev:/data/abzaliev',
      classes: names('ctx-', 14),
      n: 420,
      sampleRate: 48000,
      medianS: 0.655,
      durations: 'column',
      percent: false,
    },
  ];
  return sets.flatMap((ds, k) => [
    ...Object.values(MODELS).map((m) => probeDir(root, ds, m, [12345], { salt: 101 * k })),
    fusedDir(root, ds, [12345]),
  ]);
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DatasetSpec {
  spec: string;
  classes: string[];
  n: number;
  sampleRate: number;
  medianS: number;
  durations: 'column' | 'start-end' | 'none';
  percent: boolean;
}

function items(ds: DatasetSpec) {
  const r = rng(7);
  return Array.from({ length: ds.n }, (_, i) => {
    const split = i % 10 < 7 ? 'train' : i % 10 < 9 ? 'val' : 'test';
    const dur = ds.medianS * Math.exp((r() + r() + r() - 1.5) * 1.6);
    return {
      index: i,
      path: `clips/c${String(i).padStart(4, '0')}.wav`,
      label: ds.classes[(i * 7 + Math.floor(i / 10)) % ds.classes.length],
      split,
      dur,
    };
  });
}

function probeDir(
  root: string,
  ds: DatasetSpec,
  model: ModelSpec,
  seeds: number[],
  opts: { bare?: boolean; predictions?: boolean; summary?: boolean; salt?: number } = {},
): string {
  const dir = join(root, `${model.id}__${ds.spec.replace(/[^a-z0-9]+/gi, '_')}`);
  mkdirSync(join(dir, 'predictions'), { recursive: true });
  const its = items(ds);
  const rows = ['model,dataset,layer,seed,split,uar,accuracy,epochs'];
  const scale = ds.percent ? 100 : 1;
  for (const seed of seeds) {
    const r = rng(seed * 31 + model.strength * 1000 + (opts.salt ?? 0));
    for (let layer = 0; layer < 13; layer++) {
      const base = model.strength - 0.012 * Math.abs(layer - model.peak) - (layer === 0 ? 0.05 : 0);
      for (const split of ['val', 'test']) {
        const uar = Math.min(0.99, Math.max(0.05, base + (r() - 0.5) * 0.04 + (split === 'test' ? -0.01 : 0)));
        rows.push(
          [model.id, ds.spec, layer, seed, split, (uar * scale).toFixed(6), ((uar + 0.05) * scale).toFixed(6), 10 + (layer % 7)].join(','),
        );
      }
    }
  }
  writeFileSync(join(dir, 'results.csv'), rows.join('\n') + '\n');
  if (opts.summary) {
    // summary.csv as `probe` writes it: a bootstrap interval of test UAR per layer (same scale as results.csv)
    const test = rows
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[4] === 'test');
    const lines = ['model,dataset,layer,seeds,test_uar_mean,test_uar_std,test_uar_ci_low,test_uar_ci_high,val_uar_mean'];
    for (let layer = 0; layer < 13; layer++) {
      const u = test.filter((c) => c[2] === String(layer)).map((c) => Number(c[5]));
      const m = u.reduce((a, b) => a + b, 0) / u.length;
      lines.push([model.id, ds.spec, layer, seeds.length, m, 0, m - 0.07 * scale, m + 0.05 * scale, m].join(','));
    }
    writeFileSync(join(dir, 'summary.csv'), lines.join('\n') + '\n');
  }
  writeCommon(dir, ds, its);
  if (opts.predictions !== false) {
    for (let layer = 0; layer < 13; layer++) {
      for (const split of ['val', 'test'])
        writePosteriors(
          join(dir, 'predictions', `layer_${String(layer).padStart(2, '0')}.${split}.npy`),
          ds,
          its,
          split,
          model.strength,
          layer + 100 * seeds[0],
        );
    }
  }
  // as extraction records it, with the display name the paper's experiment file gives (experiments/paper.yaml)
  const modelInfo = {
    id: model.id,
    name: model.name,
    file: `/models/${model.id}.onnx`,
    sha256: 'ab'.repeat(32),
    family: model.family,
    params: model.params,
    layers: 12,
    width: 768,
    layer0: model.family === 'hubert' && model.id.startsWith('aves') ? 'feature projection output' : 'hidden_states[0]',
    pretraining: model.pretraining,
    type: model.type,
  };
  const features = opts.bare
    ? { format: 'bioprobe.features/1', model: model.id, dataset: ds.spec, layers: 13, dim: 1536, count: ds.n }
    : {
        format: 'bioprobe.features/1',
        model: model.id,
        dataset: ds.spec,
        layers: 13,
        dim: 1536,
        count: ds.n,
        modelInfo,
        preprocessing: {
          sampleRate: 16000,
          mono: 'channel mean',
          resampler: 'soxr HQ',
          normalise: 'peak',
          minSamples: 5000,
          chunkSamples: 2000000,
        },
        versions: { bioprobe: '0.1.0', 'onnxruntime-node': '1.30.0', node: 'v20.20.0' },
      };
  const manifest = opts.bare
    ? { format: 'bioprobe.results/1', model: model.id, dataset: ds.spec, features }
    : {
        format: 'bioprobe.results/1',
        model: model.id,
        dataset: ds.spec,
        seeds,
        protocol: { select: 'best-val', epochs: 30, batch: 16, lr: 0.001, patience: 10, split: '70,20,10', splitSeed: 42 },
        versions: { bioprobe: '0.1.0' },
        features,
      };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** A fused results dir; with `members`, also the paper's test-chosen variant and fusion.json as `fuse` writes them. */
function fusedDir(root: string, ds: DatasetSpec, seeds: number[], members?: { model: string; layer: number }[]): string {
  const dir = join(root, `fusion__${ds.spec.replace(/[^a-z0-9]+/gi, '_')}`);
  mkdirSync(join(dir, 'predictions'), { recursive: true });
  const its = items(ds);
  const scale = ds.percent ? 100 : 1;
  const rows = ['model,dataset,layer,seed,split,uar,accuracy,epochs'];
  for (const seed of seeds)
    for (const split of ['val', 'test'])
      rows.push(
        ['fusion', ds.spec, 'fusion', seed, split, ((0.6 + (seed - 12345) * 0.004) * scale).toFixed(6), (0.65 * scale).toFixed(6), ''].join(
          ',',
        ),
      );
  if (members) {
    for (const split of ['val', 'test'])
      rows.push(
        [
          members.map((m) => m.model).join('+'),
          ds.spec,
          'fusion-test-chosen',
          seeds[0],
          split,
          (0.6321 * scale).toFixed(6),
          (0.66 * scale).toFixed(6),
          '',
        ].join(','),
      );
    writeFileSync(join(dir, 'fusion.json'), JSON.stringify(['fusion', 'fusion-test-chosen'].map((variant) => ({ variant, members }))));
  }
  writeFileSync(join(dir, 'results.csv'), rows.join('\n') + '\n');
  writeCommon(dir, ds, its);
  for (const split of ['val', 'test']) writePosteriors(join(dir, 'predictions', `fusion.${split}.npy`), ds, its, split, 0.66, 999);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        format: 'bioprobe.results/1',
        model: 'fusion',
        dataset: ds.spec,
        seeds,
        protocol: { fusion: 'mean of posteriors', select: 'best-val' },
      },
      null,
      2,
    ),
  );
  return dir;
}

function writeCommon(dir: string, ds: DatasetSpec, its: ReturnType<typeof items>): void {
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(ds.classes));
  writeFileSync(
    join(dir, 'split.csv'),
    ['index,path,label,split', ...its.map((i) => [i.index, i.path, csvCell(i.label), i.split].join(','))].join('\n') + '\n',
  );
  if (ds.durations === 'none') return;
  const header =
    ds.durations === 'column' ? 'index,path,label,start,end,status,duration_s,sample_rate' : 'index,path,label,start,end,status';
  const lines = its.map((i) =>
    ds.durations === 'column'
      ? [i.index, i.path, csvCell(i.label), '', '', i.index === 3 ? 'too short' : 'ok', i.dur.toFixed(4), ds.sampleRate].join(',')
      : [i.index, i.path, csvCell(i.label), (i.index * 2).toFixed(3), (i.index * 2 + i.dur).toFixed(4), 'ok'].join(','),
  );
  writeFileSync(join(dir, 'clips.csv'), [header, ...lines].join('\n') + '\n');
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writePosteriors(
  file: string,
  ds: DatasetSpec,
  its: ReturnType<typeof items>,
  split: string,
  strength: number,
  seed: number,
): void {
  const r = rng(seed + 17);
  const C = ds.classes.length;
  const rows = its.filter((i) => i.split === split);
  const data = new Float32Array(rows.length * C);
  rows.forEach((it, k) => {
    const t = ds.classes.indexOf(it.label);
    const winner = r() < strength ? t : Math.floor(r() * C);
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const v = r() * 0.5 + (j === winner ? 2 : 0);
      data[k * C + j] = v;
      sum += v;
    }
    for (let j = 0; j < C; j++) data[k * C + j] /= sum;
  });
  writeNpy(file, data, [rows.length, C]);
}

/** Write the whole fixture study under `root`; returns the results directories. */
export function writeFixtureStudy(root: string, opts: { hostile?: boolean; synthetic?: boolean } = {}): string[] {
  const imv: DatasetSpec = {
    spec: opts.synthetic ? 'synthetic:300' : 'imv:/data/InfantMarmosetsVox',
    classes: ['Peep', 'Phee', 'Trill', 'Twitter', 'Tsik'],
    n: 300,
    sampleRate: 44100,
    medianS: 0.127,
    durations: 'column',
    percent: false,
  };
  const dogs: DatasetSpec = {
    spec: 'abzaliev:/data/mescalina',
    classes: ['bark-stranger', 'bark-play', 'whine', opts.hostile ? HOSTILE : 'growl', 'howl', 'bark-owner'],
    n: 200,
    sampleRate: 48000,
    medianS: 0.655,
    durations: 'start-end',
    percent: true,
  };
  const birds: DatasetSpec = {
    spec: 'csv:/data/birds/labels.csv',
    classes: ['Barnowl', 'Bullfinch', 'Chaffinch'],
    n: 60,
    sampleRate: 22050,
    medianS: 2.5,
    durations: 'none',
    percent: false,
  };
  return [
    ...['aves-bio', 'hubert-base', 'w2v2-base', 'w2v2-base-100h'].map((m) => probeDir(root, imv, MODELS[m], [12345, 12346, 12347])),
    fusedDir(
      root,
      imv,
      [12345, 12346, 12347],
      [
        { model: 'aves-bio', layer: 9 },
        { model: 'hubert-base', layer: 0 },
      ],
    ),
    ...['aves-bio', 'hubert-base'].map((m) => probeDir(root, dogs, MODELS[m], [12345], { summary: true })),
    fusedDir(root, dogs, [12345]),
    probeDir(root, birds, MODELS['hubert-base'], [12345], { bare: true, predictions: false }),
  ];
}

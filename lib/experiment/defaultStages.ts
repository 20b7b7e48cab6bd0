/**
 * The real stages behind `bioprobe run`: lib/datasets (load, split), lib/features (extract; the log-mel
 * baseline through lib/baselines), lib/probe (runProbe, runWeightedProbe), lib/fusion (fuseResults), lib/analysis
 * (class recall, label efficiency, layer similarity) and lib/report (writeReport).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import {
  CKA_CSV,
  CKA_FILE,
  classRecall,
  layerSimilarity,
  runLabelEfficiency,
  writeCka,
  writeCkaCsv,
  writeClassRecall,
} from '../analysis/index.js';
import { dirname, join } from 'node:path';
import { extractLogMelFeatures, describeLogMel, logMelFingerprint } from '../baselines/index.js';
import { loadDataset, paperSplit, stratifiedSplit, writeSplitCsv } from '../datasets/index.js';
import { extractFeatures, resolveModel as resolveFeatureModel } from '../features/index.js';
import { fuseResults } from '../fusion/index.js';
import { DEFAULT_PROTOCOL, parseLayers, runProbe, runWeightedProbe, type Protocol } from '../probe/index.js';
import { writeReport } from '../report/index.js';
import { BioprobeError } from '../util/errors.js';
import { sha256Memo } from '../util/cache.js';
import { memoSha256File } from '../util/hash.js';
import type { ProbeSettings } from './presets.js';
import type { ResolvedModel, Stages } from './stages.js';
import { writeJsonAtomic } from '../util/atomic.js';

export interface DefaultStageOptions {
  /** Progress of long stages (extraction) goes here on a TTY; nowhere by default. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
  notice?: (line: string) => void;
}

export function defaultStages(o: DefaultStageOptions = {}): Stages {
  return {
    loadDataset: (spec, { cacheDir, classes }) => loadDataset(spec, { cacheDir, classes }),

    async resolveModel(model, { cacheDir }): Promise<ResolvedModel> {
      const ref = model.ref;
      if (ref.kind === 'baseline') {
        return { name: model.name, model, fingerprint: logMelFingerprint(), describe: describeLogMel() };
      }
      // a zoo id is pulled here (offline-first) so its file's sha256 can key the stages
      const r = await resolveFeatureModel(ref.kind === 'file' ? ref.path : ref.id, { cacheDir });
      const sha = r.info.sha256 || (await memoSha256File(r.spec.file, sha256Memo(cacheDir)));
      return {
        name: model.name,
        model,
        fingerprint: sha,
        path: r.spec.file,
        describe: `${r.info.id} (${r.spec.file}, sha256 ${sha.slice(0, 12)})`,
      };
    },

    async split({ dataset, settings, out }) {
      const split = settings.stratified
        ? stratifiedSplit(
            dataset.items.map((it) => it.label),
            { seed: settings.seed, ratios: settings.ratios },
          )
        : paperSplit(dataset.items.length, { seed: settings.seed, ratios: settings.ratios });
      mkdirSync(dirname(out), { recursive: true });
      writeSplitCsv(out, dataset, split);
    },

    async extract({ model, dataset, out, threads, device, limit, cacheDir, resampler, requireExactResampler }) {
      if (model.model.ref.kind === 'baseline') {
        await extractLogMelFeatures({ dataset, out, notice: o.notice, resampler, requireExactResampler });
      } else {
        // zoo models by id, so extraction applies the zoo entry's layer-0 tap, chunk size and model facts
        const ref = model.model.ref;
        await extractFeatures({
          model: ref.kind === 'zoo' ? ref.id : model.path!,
          dataset: dataset.spec,
          classes: dataset.classes,
          out,
          threads,
          device,
          limit,
          cacheDir,
          overwrite: true,
          layer0: model.model.layer0,
          resampler,
          requireExactResampler,
          progress: o.progress,
          notice: o.notice,
        });
      }
      nameModel(out, model);
    },

    async probe({ features, split, out, settings, threads, device, classes }) {
      await runProbe({ ...probeInputs(features, split, out, classes, settings), threads, device });
    },

    async weighted({ features, split, out, settings, device, classes }) {
      await runWeightedProbe({ ...probeInputs(features, split, out, classes, settings), device });
    },

    async recall({ results, out }) {
      writeClassRecall(out, classRecall(results));
    },

    async labels({ features, results, out, settings, labels, threads, device }) {
      // the probe's seeds are seed .. seed + seeds - 1: its `all` rows serve the curve when they cover the curve's seeds
      await runLabelEfficiency({
        features,
        results,
        out,
        shots: labels.shots,
        seed: settings.seed,
        seeds: labels.seeds,
        retrainAll: labels.seeds > settings.seeds,
        protocol: protocolOf(settings),
        threads: Math.min(threads, labels.seeds),
        device,
      });
    },

    async cka({ features, out, settings, threads }) {
      const r = await layerSimilarity({ features, mode: settings.mode, standardize: settings.standardize, threads });
      writeCka(join(out, CKA_FILE), r);
      writeCkaCsv(join(out, CKA_CSV), r);
    },

    async fuse({ results, out }) {
      fuseResults(results, out);
    },

    async report({ results, out, experiment }) {
      const r = await writeReport({
        results,
        out,
        pdf: experiment.report.pdf !== false,
        title: experiment.report.title,
        notice: experiment.report.notice,
      });
      if (experiment.report.pdf === true && !r.pdf) {
        throw new BioprobeError(
          'report',
          'pdf-missing',
          `report.pdf was asked for (report.pdf: true) but not written: ${r.pdfSkipped ?? 'unknown reason'}`,
          { file: experiment.file },
        );
      }
      return { html: r.html, pdf: r.pdf, pdfNote: r.pdfSkipped };
    },
  };
}

/** What the layer probes and the weighted probe of a stage share: their inputs, layers, seeds and protocol. */
function probeInputs(features: string, split: string, out: string, classes: string[], settings: ProbeSettings) {
  const layers = settings.layers ? parseLayers(settings.layers) : undefined;
  return { features, out, split, classes, layers, seed: settings.seed, seeds: settings.seeds, protocol: protocolOf(settings) };
}

/** The probe protocol of the experiment's probe settings (the probes, the weighted probe and label efficiency share it). */
function protocolOf(settings: ProbeSettings): Protocol {
  return { ...DEFAULT_PROTOCOL, select: settings.select, uarClasses: settings.uarClasses };
}

/**
 * Record the experiment's name (and description) of a model in its features manifest
 * (`modelInfo.name`, `modelInfo.description`): probes copy the manifest, and reports show that name.
 * Only these two descriptive fields change; the store's identity does not include them.
 */
function nameModel(featuresDir: string, model: ResolvedModel): void {
  const path = join(featuresDir, 'manifest.json');
  if (!existsSync(path)) return;
  const m = JSON.parse(readFileSync(path, 'utf8')) as { modelInfo?: Record<string, unknown> };
  m.modelInfo = { ...m.modelInfo, name: model.name, ...(model.model.description ? { description: model.model.description } : {}) };
  writeJsonAtomic(path, m);
}

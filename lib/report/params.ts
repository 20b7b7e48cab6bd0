/**
 * Table II's parameter counts, computed from the ONNX file when the manifest does not record them
 * (models given as files rather than zoo ids). The file must still be where the manifest says; the
 * models stage's inspector counts the floating-point weights. Failures are warnings.
 */
import { existsSync } from 'node:fs';
import { describeError } from '../util/errors.js';
import type { Warnings } from './errors.js';
import type { StudyModel } from './study.js';

export async function fillParameterCounts(models: StudyModel[], warnings: Warnings): Promise<void> {
  const missing = models.filter((m) => m.info && m.info.params === undefined && typeof m.info.file === 'string' && existsSync(m.info.file));
  if (missing.length === 0) return;
  const { inspectModel } = await import('../models/inspect.js');
  for (const m of missing) {
    try {
      m.info = { ...m.info, params: inspectModel(String(m.info!.file)).parameters };
    } catch (err) {
      warnings.add(`parameters of ${m.name} not counted: ${describeError(err)}`);
    }
  }
}

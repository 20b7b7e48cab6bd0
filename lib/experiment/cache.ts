/**
 * Stage done-markers. Each stage's output folder holds `.bioprobe-stage.json` with the stage's key (a
 * content hash of its inputs and settings) and its state. A stage whose marker says `done` with the same
 * key is skipped; a folder whose marker holds another key is emptied before the stage runs again; a
 * `started` marker with the same key lets a resumable stage (extraction) carry on where it stopped.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.js';

export const MARKER = '.bioprobe-stage.json';

export interface StageMarker {
  stage: string;
  key: string;
  state: 'started' | 'done';
  /** What the key was made of, for people reading the folder. */
  inputs?: unknown;
  time: string;
}

export function readMarker(dir: string): StageMarker | null {
  const p = join(dir, MARKER);
  if (!existsSync(p)) return null;
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as StageMarker;
    return typeof m.key === 'string' && (m.state === 'started' || m.state === 'done') ? m : null;
  } catch {
    return null;
  }
}

function writeMarker(dir: string, m: StageMarker): void {
  writeJsonAtomic(join(dir, MARKER), m, 1);
}

/** True when `dir` holds a finished stage made with `key`. */
export function isDone(dir: string, key: string): boolean {
  const m = readMarker(dir);
  return m !== null && m.state === 'done' && m.key === key;
}

/**
 * Get `dir` ready for a stage run with `key`. With `clear`, a folder made with another key, or holding
 * content without a marker, is emptied first (a folder started with the same key is kept, to resume);
 * then a `started` marker is written.
 */
export function beginStage(dir: string, stage: string, key: string, inputs: unknown, opts: { clear: boolean }): void {
  const m = readMarker(dir);
  if (opts.clear && existsSync(dir) && (m === null || m.key !== key)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeMarker(dir, { stage, key, state: 'started', inputs, time: new Date().toISOString() });
}

/** Mark the stage in `dir` finished with `key`. */
export function finishStage(dir: string, stage: string, key: string, inputs: unknown): void {
  writeMarker(dir, { stage, key, state: 'done', inputs, time: new Date().toISOString() });
}

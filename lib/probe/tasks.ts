/**
 * The unit of probe work: one stack of layers, its standardised rows loaded once, trained for every
 * seed. The same function runs in the main thread (one worker) or inside a worker thread (stackWorkers.ts),
 * so results do not depend on where a stack ran.
 */
import type { SplitName } from '../datasets/split.js';
import { loadStack, partition, type Partition } from './data.js';
import { openFeatures, type FeatureSet } from './features.js';
import type { Protocol } from './protocol.js';
import type { ProbeSessionOptions as SessionOptions } from './engine.js';
import { trainStack, type ProbeOutcome } from './trainer.js';

/** What every task of a run shares (plain data: it crosses to worker threads). */
export interface TaskContext {
  features: string;
  /** Split name per clip of clips.csv (before non-ok clips are dropped). */
  split: SplitName[];
  /** The class map the run resolved (data.ts probeClasses). */
  classes: string[];
  protocol: Protocol;
  session: SessionOptions;
}

/** A stack (`id` = its index in the run's plan) and the seeds to train it for, each with its index in the run's seed list. */
export interface StackTask {
  id: number;
  layers: number[];
  seeds: { index: number; seed: number }[];
}

export interface SeedResult {
  task: number;
  seedIndex: number;
  seed: number;
  /** One outcome per layer of the task's stack, in stack order. */
  outcomes: ProbeOutcome[];
  seconds: number;
}

export interface TaskHooks {
  /** After each epoch: validation UAR per layer of the stack (null for a probe that has stopped). */
  onEpoch?: (task: StackTask, seed: number, epoch: number, valUars: (number | null)[]) => void;
  onSeed: (result: SeedResult) => void;
}

/** The features and partition of a context, opened once per thread. */
export interface OpenedData {
  fs: FeatureSet;
  p: Partition;
}

export function openContext(ctx: TaskContext): OpenedData {
  const fs = openFeatures(ctx.features);
  return { fs, p: partition(fs, ctx.split, ctx.classes) };
}

/** Load the task's stack and train it for each of its seeds, reporting each seed as it finishes. */
export async function runTask(ctx: TaskContext, data: OpenedData, task: StackTask, hooks: TaskHooks): Promise<void> {
  const stack = loadStack(data.fs, data.p, task.layers);
  for (const { index: seedIndex, seed } of task.seeds) {
    const t0 = Date.now();
    const outcomes = await trainStack(stack, {
      seed,
      protocol: ctx.protocol,
      ...ctx.session,
      onEpoch: hooks.onEpoch
        ? (epoch, recs) =>
            hooks.onEpoch!(
              task,
              seed,
              epoch,
              recs.map((r) => r?.valUar ?? null),
            )
        : undefined,
    });
    hooks.onSeed({ task: task.id, seedIndex, seed, outcomes, seconds: (Date.now() - t0) / 1000 });
  }
}

/**
 * Parsers for option values, with one message style: `<name> must be ..., got "<value>"`. Library code
 * passes the setting's own name (`threads`); the CLI passes its flag (`--threads`), so a user sees
 * the flag they typed and a library caller sees no command-line wording.
 */
import { UsageError } from './errors.js';

/** "a", "a or b", "a, b or c". */
function either(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}

/** What an integer range reads as in a message. */
function rangeText(min: number, max: number): string {
  if (max !== Number.MAX_SAFE_INTEGER) return `an integer from ${min} to ${max}`;
  if (min === 1) return 'a positive integer';
  if (min === 0) return 'a non-negative integer';
  return `an integer >= ${min}`;
}

/** A whole number written in decimal digits (or a number already) within [min, max]. */
export function parseInteger(name: string, value: string | number, opts: { min?: number; max?: number } = {}): number {
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name} must be ${rangeText(min, max)}, got "${value}"`);
  return n;
}

/** parseInteger, or undefined when the value is absent. */
export function parseOptionalInteger(
  name: string,
  value: string | number | undefined,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  return value === undefined ? undefined : parseInteger(name, value, opts);
}

/** One of a fixed list of words. */
export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const hit = choices.find((c) => c === value);
  if (hit === undefined) throw new UsageError(`${name} must be ${either(choices)}, got "${value}"`);
  return hit;
}

/**
 * What `bioprobe doctor` reports: one `Check` per capability, with what was found and, when something
 * is missing, the command that fixes it. The machine is reached only through `DoctorHost`, so tests can
 * stand in for a machine that lacks things.
 */

export type CheckStatus = 'ok' | 'warn' | 'missing';

export interface Check {
  /** Group in the printed table: runtime, gpu, audio, pdf, notebooks, tools, storage. */
  area: string;
  name: string;
  status: CheckStatus;
  /** What was found (version, path, free space), or what is wrong. */
  detail: string;
  /** The command or step that fixes a `warn` or `missing` check. */
  fix?: string;
  /** bioprobe cannot run at all without it (doctor then exits non-zero). */
  required?: boolean;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DoctorHost {
  /** Run a program; null when it does not exist. */
  run(cmd: string, args: string[], opts?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CommandResult | null>;
  exists(path: string): boolean;
  /** Free bytes on the file system holding `path` (its nearest existing ancestor), or null. */
  freeBytes(path: string): number | null;
  /** Can files be created in `dir` (or, when it does not exist yet, in its nearest existing ancestor)? */
  writable(dir: string): boolean;
  env: NodeJS.ProcessEnv;
}

/** The report's one error helper: every problem a user can cause names the file and what to do. */
import { BioprobeError } from '../util/errors.js';

export function reportError(code: string, message: string, file?: string, hint?: string): BioprobeError {
  return new BioprobeError('report', code, message, { file, hint });
}

/** Non-fatal problems met while reading inputs; shown in the report's notes and by the CLI. */
export class Warnings {
  readonly list: string[] = [];
  add(message: string): void {
    if (!this.list.includes(message)) this.list.push(message);
  }
}

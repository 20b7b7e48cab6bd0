/** The report's one error helper: every problem a user can cause names the file and what to do. */
import { BioprobeError } from '../util/errors.js';

export function reportError(code: string, message: string, file?: string, hint?: string): BioprobeError {
  return new BioprobeError('report', code, message, { file, hint });
}

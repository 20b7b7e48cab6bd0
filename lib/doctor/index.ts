/** `bioprobe doctor`: checks of what this machine can do, each with its fix. */
export { runDoctor, formatDoctor, doctorFailed, type DoctorOptions } from './doctor.js';
export { systemHost } from './host.js';
export { CUDA_FIX } from './runtime.js';
export type { Check, CheckStatus, DoctorHost, CommandResult } from './types.js';

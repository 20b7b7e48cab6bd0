/**
 * runtime/: the one door to onnxruntime. Sessions (threads, device, optimisation level), the device
 * names, and the CUDA check with its install hint, shared by models (inference), probe (training
 * graphs) and doctor.
 */
export { createSession, tryDevice } from './session.js';
export type { SessionOptions, GraphOptimization } from './session.js';
export { DEVICES, parseDevice } from './device.js';
export type { Device } from './device.js';
export { checkCudaAvailable, cudaAvailable, ortBinaryDir, CUDA_INSTALL_HINT } from './cuda.js';

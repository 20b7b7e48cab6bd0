/**
 * Classical baselines that run through the same pipeline as the SSL models: today the log-mel
 * filterbank (`baseline:logmel`), one "layer" (layer 0) of width n_mels, pooled like any layer.
 */
export { LogMel, DEFAULT_LOGMEL, logMelFrameCount, type LogMelSettings, type LogMelFrames } from './logmel.js';
export { melFilterbank, hzToMel, melToHz, type MelScale, type MelFilterbankOptions } from './melscale.js';
export { logMelForward, logMelFingerprint, logMelModelInfo, describeLogMel, LOGMEL_ID, LOGMEL_VERSION } from './forward.js';
export { extractLogMelFeatures, type BaselineExtractOptions } from './extract.js';

/**
 * checkpoint/: PyTorch weights as people publish them (Hugging Face safetensors/.bin, AVES torchaudio,
 * fairseq .pt), read in TypeScript without running any pickle code, described by one normalized
 * architecture (Wav2Vec2Arch) and one canonical tensor naming, for the ONNX graph builder.
 * Imports only util/.
 */
export { openCheckpoint, type Checkpoint, type CheckpointFormat, type OpenCheckpointOptions } from './checkpoint.js';
export { archFromTorchaudio, checkArch, frameCount, DEFAULT_CONV, type ConvLayerSpec, type Family, type Wav2Vec2Arch } from './arch.js';
export { archFromHfConfig } from './hfConfig.js';
export { archFromFairseq, fairseqModelConfig, parseConvLayers } from './fairseqConfig.js';
export { toCanonical, type CanonicalWeights, type ParameterCounts } from './canonical.js';
export { canonicalShapes, MASK_EMBEDDING, POS_CONV_WEIGHT } from './names.js';
export { mapKey, basePrefix, type KeyRole, type NamingScheme } from './keymap.js';
export { foldWeightNorm, weightNormDim } from './weightNorm.js';
export { DTYPE_BYTES, halfToFloat, isFloatDType, toFloat32, type DType } from './dtype.js';
export { TensorTable, gatherStrided, contiguousStrides, numelOf, type TensorInfo, type TensorSource } from './tensors.js';
export { openSafetensors, parseSafetensorsHeader, type SafetensorsHeader } from './safetensors.js';
export { openSharded } from './sharded.js';
export { openTorchArchive, tableFromStateDict, type TorchArchive } from './torchArchive.js';
export { unpickle, type UnpickleOptions } from './pickle.js';
export { classifyGlobal, type GlobalClass } from './policy.js';
export { PyDict, PyGlobal, PyObject, TensorRef, type PyKey, type PyValue, type StorageRef } from './pyvalue.js';
export { toPlain, findForeign, type Foreign, type Plain, type PlainObject } from './plain.js';
export { ZipReader, looksLikeZip, type ZipEntry } from './zip.js';

/**
 * The ONNX protobuf schema every reader and writer in bioprobe speaks (onnx-proto, ONNX 1.10 messages;
 * builder.ts writes graphs, splice.ts rewrites files byte-level), and a loader that turns any
 * unreadable file into a one-line ModelError. Fields newer than ONNX 1.10 are skipped by the decoder;
 * that is harmless here because nothing is re-encoded from the decoded message (see splice.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import onnxPkg from 'onnx-proto';
import { ModelError } from '../util/errors.js';

export const onnx = onnxPkg.onnx;
export type ModelProto = onnxPkg.onnx.ModelProto;
export type GraphProto = onnxPkg.onnx.IGraphProto;
export type NodeProto = onnxPkg.onnx.INodeProto;
export type TensorProto = onnxPkg.onnx.ITensorProto;
export type ValueInfoProto = onnxPkg.onnx.IValueInfoProto;
export type AttributeProto = onnxPkg.onnx.IAttributeProto;

/** protobuf's hard limit on one message: larger models must keep their weights in external data files. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

/** TensorProto.DataType values bioprobe needs by name. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;

/** An ONNX file read into memory: its bytes (kept for byte-exact rewriting) and the decoded model. */
interface LoadedModel {
  path: string;
  bytes: Buffer;
  model: ModelProto;
}

/** Decode bytes as an ONNX ModelProto; throws ModelError naming `path` when they are not one. */
export function decodeModel(bytes: Uint8Array, path: string): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError('not-onnx', `not an ONNX model (protobuf decoding failed: ${(err as Error).message})`, {
      file: path,
      hint: 'expected a .onnx file exported by torch.onnx, optimum or similar',
      cause: err,
    });
  }
  if (!model.graph?.node || model.graph.node.length === 0) {
    throw new ModelError('not-onnx', 'not an ONNX model (no graph nodes found)', {
      file: path,
      hint: 'expected a .onnx file exported by torch.onnx, optimum or similar',
    });
  }
  return model;
}

/** Read and decode an ONNX file. Files over 2 GB cannot be one protobuf message and are refused. */
export function loadModel(path: string): LoadedModel {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ModelError('model-missing', 'model file not found or unreadable', { file: path, cause: err });
  }
  if (size > PROTOBUF_LIMIT) {
    throw new ModelError('model-too-large', `file is ${(size / 2 ** 30).toFixed(1)} GiB: an ONNX protobuf cannot exceed 2 GB`, {
      file: path,
      hint: 're-export with external data (onnx.save(..., save_as_external_data=True)) and pass the .onnx file',
    });
  }
  const bytes = readFileSync(path);
  return { path, bytes, model: decodeModel(bytes, path) };
}

/** int64 fields decode to numbers or Long objects depending on size; always get a number. */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** The opset version of the default ONNX domain ('' or 'ai.onnx'), or 0 when none is declared. */
export function defaultOpset(model: ModelProto): number {
  for (const o of model.opsetImport ?? []) {
    if (!o.domain || o.domain === 'ai.onnx') return toNumber(o.version as number);
  }
  return 0;
}

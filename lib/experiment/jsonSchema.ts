/**
 * The experiment file's JSON Schema, generated from the zod schema (experiments/schema.json is this,
 * committed; a test keeps it in sync). Editors with the YAML language server validate and complete
 * experiment files through the `# yaml-language-server: $schema=./schema.json` line at their top.
 */
import { z } from 'zod';
import { ExperimentSchema } from './schema.js';

type JsonObject = Record<string, unknown>;

export function experimentJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(ExperimentSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  const props = schema.properties as Record<string, JsonObject>;
  // zod's preprocess (a bare string is shorthand for {spec} / {id} / {file}) does not show in the
  // generated schema: allow the string form explicitly.
  props.datasets.items = {
    anyOf: [{ type: 'string', description: 'dataset spec, e.g. synthetic:600 or csv:labels.csv' }, props.datasets.items],
  };
  props.models.items = {
    anyOf: [
      {
        type: 'string',
        description:
          'zoo id, Hugging Face repository id (org/name), .onnx file, checkpoint (.safetensors, .bin, .pt, folder/), or baseline:logmel',
      },
      props.models.items,
    ],
  };
  return { title: 'bioprobe experiment file', description: 'See docs/EXPERIMENTS.md', ...schema };
}

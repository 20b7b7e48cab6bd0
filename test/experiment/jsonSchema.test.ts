import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { experimentJsonSchema } from '../../lib/experiment/jsonSchema.js';

const FILE = 'experiments/schema.json';

test('experiments/schema.json is the JSON Schema generated from the zod schema', () => {
  const text = JSON.stringify(experimentJsonSchema(), null, 1) + '\n';
  if (process.env.BIOPROBE_WRITE_SCHEMA) writeFileSync(FILE, text);
  assert.equal(
    readFileSync(FILE, 'utf8'),
    text,
    `${FILE} is stale: BIOPROBE_WRITE_SCHEMA=1 node --import tsx --test test/experiment/jsonSchema.test.ts`,
  );
  const s = JSON.parse(text);
  assert.deepEqual(s.required, ['name', 'datasets', 'models']);
  assert.equal(s.additionalProperties, false);
  assert.equal(s.properties.models.items.anyOf[0].type, 'string');
});

test('the shipped experiment files point editors at the schema', () => {
  for (const f of ['experiments/demo.yaml', 'experiments/paper.yaml']) {
    assert.match(readFileSync(f, 'utf8').split('\n')[0], /^# yaml-language-server: \$schema=\.\/schema\.json$/);
  }
});

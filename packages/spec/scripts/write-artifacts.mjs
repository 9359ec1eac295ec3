// Writes dist/spec.schema.json (JSON Schema for editors) and dist/examples/*.json after tsc.
import { mkdirSync, writeFileSync } from 'node:fs';
import { exampleSpecs, specJsonSchema } from '../dist/index.js';

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(new URL('../dist/spec.schema.json', import.meta.url), json(specJsonSchema()));
mkdirSync(new URL('../dist/examples/', import.meta.url), { recursive: true });
for (const [name, spec] of Object.entries(exampleSpecs)) {
  writeFileSync(new URL(`../dist/examples/${name}.json`, import.meta.url), json(spec));
}

import { readFile } from 'node:fs/promises';
import { countParameters, exampleSpecs, type ModelSpec, modelDimensions, specHash, validateSpec } from '@thaw/spec';

/** Loads a spec from a JSON file, or one of the built-in examples by name (`demo`, `ref-m`). */
export async function loadSpec(reference: string): Promise<ModelSpec> {
  if (Object.hasOwn(exampleSpecs, reference)) return exampleSpecs[reference as keyof typeof exampleSpecs];
  let text: string;
  try {
    text = await readFile(reference, 'utf8');
  } catch (error) {
    throw new Error(
      `--spec ${reference}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass a spec JSON file or one of: ${Object.keys(exampleSpecs).join(', ')}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--spec ${reference}: not valid JSON (${(error as Error).message})`);
  }
  return validateSpec(json, reference);
}

/** `thaw-train spec`: validates a spec and prints its dimensions and parameter counts. */
export async function specCommand(options: { spec: string; json?: boolean }): Promise<void> {
  const spec = await loadSpec(options.spec);
  const params = countParameters(spec);
  const dims = modelDimensions(spec);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ name: spec.name, hash: specHash(spec), dimensions: dims, parameters: params }, null, 2)}\n`,
    );
    return;
  }
  const lines = [
    `spec ${spec.name} (hash ${specHash(spec)}): ${spec.features.length} features, ${spec.tasks.length} tasks (${spec.tasks.map((t) => t.name).join(', ')})`,
    `  x_h ${dims.historical} + x_nh ${dims.nonHistorical} = ${dims.input} → z ${dims.interaction} → z̄ ${dims.prediction}`,
    '  parameters:',
    ...Object.entries(params).map(([k, v]) => `    ${k.padEnd(11)} ${v.toLocaleString('en-US').padStart(12)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

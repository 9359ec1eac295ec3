import { readFileSync } from 'node:fs';
import { type ModelSpec, validateSpec } from '@thaw/spec';
import { createTensor, type ReferenceTensor, referenceOps, type Tensor } from '@thaw/tensor';
import { featuresOnBackend } from '../embed.js';

/** A tensor of fixtures/torch-small.json: shape and row-major values. */
export interface TorchFixtureTensor {
  readonly shape: number[];
  readonly data: number[];
}

/** One case of fixtures/torch-small.json (written by fixtures/make_torch_fixture.py, PyTorch float64; format in the README). */
export interface TorchFixtureCase {
  readonly name: string;
  readonly seed: number;
  readonly spec: unknown;
  readonly batchSize: number;
  readonly params: Record<string, TorchFixtureTensor>;
  readonly features: Record<string, TorchFixtureTensor & { dtype: 'float32' | 'int32' }>;
  readonly labels: TorchFixtureTensor;
  readonly isCold: number[];
  readonly mixup: { lambda: number; partner: number[] };
  readonly lossWeights: { mixup: number; scoreReg: number };
  readonly expected: {
    readonly zBar: TorchFixtureTensor;
    readonly logits: TorchFixtureTensor;
    readonly scores: number[];
    readonly aldiStudent?: TorchFixtureTensor;
    readonly loss: { bce: number; mixupBce: number; scoreReg: number; total: number };
    readonly gradients: Record<string, TorchFixtureTensor>;
  };
}

/** fixtures/torch-small.json: its format line and its cases. */
export const torchFixture = JSON.parse(readFileSync(new URL('../../fixtures/torch-small.json', import.meta.url), 'utf8')) as {
  format: string;
  cases: TorchFixtureCase[];
};

/** The cases of fixtures/torch-small.json. */
export const torchFixtureCases = torchFixture.cases;

/**
 * A case ready to run on the float64 reference backend: its validated spec, its parameters as
 * float32 host tensors (as PyTorch wrote them) and its batch's embedded features.
 */
export function loadTorchFixtureCase(c: TorchFixtureCase): {
  spec: ModelSpec;
  host: Record<string, Tensor<'float32'>>;
  features: Record<string, ReferenceTensor>;
} {
  const spec = validateSpec(c.spec, `fixture case ${c.name}`);
  const host: Record<string, Tensor<'float32'>> = {};
  for (const [name, p] of Object.entries(c.params)) host[name] = createTensor('float32', p.data, p.shape);
  const features = featuresOnBackend(referenceOps, spec, {
    size: c.batchSize,
    features: Object.fromEntries(
      Object.entries(c.features).map(([k, f]) => [
        k,
        f.dtype === 'int32' ? createTensor('int32', f.data, f.shape) : createTensor('float32', f.data, f.shape),
      ]),
    ),
  });
  return { spec, host, features };
}

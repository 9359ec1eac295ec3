import { readFileSync } from 'node:fs';

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

/** The cases of fixtures/torch-small.json. */
export const torchFixtureCases = (
  JSON.parse(readFileSync(new URL('../../fixtures/torch-small.json', import.meta.url), 'utf8')) as { cases: TorchFixtureCase[] }
).cases;

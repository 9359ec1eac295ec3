import { describe, expect, it } from 'vitest';
import { demoSpecInput } from './examples/demo.js';
import { SpecValidationError } from './spec-validation-error.js';
import { safeValidateSpec, validateSpec } from './validate.js';

type Json = Record<string, unknown>;
const base = (): Json => structuredClone(demoSpecInput) as unknown as Json;
const edit = (change: (spec: Json & { features: Json[]; architecture: Json; tasks: Json[]; coldStart: Json }) => void) => {
  const spec = base();
  change(spec as never);
  return spec;
};

const cases: [string, unknown, string[]][] = [
  ['not an object', [], ['the spec must be a JSON object (got [])']],
  [
    'no specVersion',
    edit((s) => {
      delete s.specVersion;
    }),
    ['specVersion is missing: add "specVersion": 1 (the version of the thaw spec format this document follows)'],
  ],
  [
    'a future specVersion',
    edit((s) => {
      s.specVersion = 2;
    }),
    ['specVersion 2 is not supported: this version of @thaw/spec reads specVersion 1; upgrade @thaw/spec or convert the spec'],
  ],
  [
    'vocabSize 0',
    edit((s) => {
      (s.features[4] as Json).vocabSize = 0;
    }),
    ['features[4].vocabSize must be an integer ≥ 1 (got 0)'],
  ],
  [
    'fractional dim',
    edit((s) => {
      (s.features[1] as Json).dim = 2.5;
    }),
    ['features[1].dim must be an integer ≥ 1 (got 2.5)'],
  ],
  [
    'unknown kind',
    edit((s) => {
      (s.features[0] as Json).kind = 'blob';
    }),
    ["features[0].kind must be 'dense', 'categorical' or 'id' (got \"blob\")"],
  ],
  [
    'unknown group',
    edit((s) => {
      (s.features[2] as Json).group = 'content';
    }),
    ["features[2].group must be 'historical' (engagement-derived) or 'nonHistorical' (content/attributes) (got \"content\")"],
  ],
  [
    'duplicate feature names',
    edit((s) => {
      (s.features[3] as Json).name = 'item_id';
    }),
    ['features[3].name must be unique (got "item_id", already used by features[0])'],
  ],
  [
    'bad feature name',
    edit((s) => {
      (s.features[0] as Json).name = '1st';
    }),
    ['features[0].name must be a name: letters, digits, _ or -, starting with a letter (got "1st")'],
  ],
  [
    'missing embeddingDim',
    edit((s) => {
      delete (s.features[0] as Json).embeddingDim;
    }),
    ['features[0].embeddingDim must be an integer ≥ 1 (missing)'],
  ],
  [
    'a typo in a key',
    edit((s) => {
      (s.architecture as Json).crosss = {};
    }),
    ['architecture has an unknown key "crosss"; remove it or check its spelling'],
  ],
  [
    'empty task list',
    edit((s) => {
      s.tasks = [];
      s.utility = {};
    }),
    ['tasks must list at least one task (got [])'],
  ],
  [
    'utility missing a task',
    edit((s) => {
      s.utility = { grid_click: 1, save: 1 };
    }),
    ['utility.click must give a utility weight for task "click" (missing)'],
  ],
  [
    'utility naming an unknown task',
    edit((s) => {
      s.utility = { grid_click: 1, save: 1, click: 1, like: 2 };
    }),
    ['utility.like must name a task (got "like"; tasks are "grid_click", "save", "click")'],
  ],
  [
    'unknown mixup layer',
    edit((s) => {
      (s.coldStart.mixup as Json).layer = 'tower';
    }),
    [
      "coldStart.mixup.layer must be 'interaction' (the output z̄ of the interaction module, eq 8) or 'input' (input mixup) (got \"tower\")",
    ],
  ],
  [
    'negative ScoreReg weight',
    edit((s) => {
      (s.coldStart.scoreReg as Json).weight = -0.1;
    }),
    ['coldStart.scoreReg.weight must be a weight ≥ 0 (got -0.1)'],
  ],
  [
    'dropout rate above 1',
    edit((s) => {
      (s.coldStart.dropout as Json).rate = 1.5;
    }),
    ['coldStart.dropout.rate must be a probability in [0, 1] (got 1.5)'],
  ],
  [
    'zero experts',
    edit((s) => {
      (s.architecture.mmoe as Json).experts = 0;
    }),
    ['architecture.mmoe.experts must be an integer ≥ 1 (got 0)'],
  ],
  [
    'empty residual projection',
    edit((s) => {
      (s.architecture.residual as Json).projectionUnits = [];
    }),
    ['architecture.residual.projectionUnits must list at least 1 layer width for the residual projection P (got [])'],
  ],
  [
    'stats of the wrong length',
    edit((s) => {
      (s.features[5] as Json).stats = { mean: [0, 1], std: [1, 1] };
    }),
    [
      'features[5].stats.mean must have 1 values, one per dimension (got 2)',
      'features[5].stats.std must have 1 values, one per dimension (got 2)',
    ],
  ],
  [
    'a zero standard deviation',
    edit((s) => {
      (s.features[5] as Json).stats = { mean: [0], std: [0] };
    }),
    ['features[5].stats.std[0] must be a standard deviation > 0 (got 0)'],
  ],
  [
    'residual without non-historical features',
    edit((s) => {
      s.features = s.features.filter((f) => f.group === 'historical');
    }),
    [
      'architecture.residual.enabled must be false when no feature has group "nonHistorical" (the residual path projects x_nh, eq 3)',
    ],
  ],
  [
    'unknown task loss',
    edit((s) => {
      (s.tasks[0] as Json).loss = 'hinge';
    }),
    ["tasks[0].loss must be 'bce' or 'mse' (got \"hinge\")"],
  ],
  [
    'cold days 0',
    edit((s) => {
      s.coldStart.coldDays = 0;
    }),
    ['coldStart.coldDays must be a number of days > 0 (got 0)'],
  ],
  [
    'several problems at once',
    edit((s) => {
      (s.features[4] as Json).vocabSize = 0;
      (s.features[3] as Json).name = 'item_id';
      s.utility = { grid_click: 1, save: 1 };
    }),
    [
      'features[4].vocabSize must be an integer ≥ 1 (got 0)',
      'features[3].name must be unique (got "item_id", already used by features[0])',
      'utility.click must give a utility weight for task "click" (missing)',
    ],
  ],
];

describe('validateSpec', () => {
  it.each(cases)('rejects %s with exact messages', (_, json, messages) => {
    const result = safeValidateSpec(json);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues.map((i) => i.message)).toEqual(messages);
  });

  it('throws one SpecValidationError listing every problem, with the source', () => {
    const json = cases.at(-1)?.[1];
    let caught: unknown;
    try {
      validateSpec(json, 'runs/spec.json');
    } catch (error) {
      caught = error;
    }
    expect(SpecValidationError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      [
        'invalid thaw model spec in runs/spec.json (3 problems):',
        '  - features[4].vocabSize must be an integer ≥ 1 (got 0)',
        '  - features[3].name must be unique (got "item_id", already used by features[0])',
        '  - utility.click must give a utility weight for task "click" (missing)',
      ].join('\n'),
    );
  });

  it('fills the defaults of a minimal spec', () => {
    const spec = validateSpec({
      specVersion: 1,
      name: 'minimal',
      features: [{ name: 'x', group: 'historical', kind: 'dense', dim: 2 }],
      architecture: {
        cross: { count: 1 },
        deep: { units: [4] },
        residual: { enabled: false, projectionUnits: [2] },
        mmoe: { experts: 2, expertUnits: [4] },
        tower: { units: [] },
      },
      tasks: [{ name: 'click' }],
      utility: { click: 1 },
    });
    expect(spec.architecture.structure).toBe('stacked');
    expect(spec.architecture.activation).toBe('relu');
    expect(spec.tasks[0]?.loss).toBe('bce');
    expect(spec.coldStart.coldDays).toBe(28);
    expect(spec.coldStart.scoreReg).toEqual({ enabled: false, weight: 0.1, kernel: 'mean', bandwidth: 0.1, condition: 'none' });
    expect(spec.coldStart.mixup).toMatchObject({ enabled: false, weight: 0.2, alpha: 0.4, layer: 'interaction' });
    expect(spec.training).toEqual({ batchSize: 512, epochs: 1, learningRate: 1e-3, optimizer: 'adam' });
  });

  it('accepts the shipped example specs unchanged', () => {
    expect(() => validateSpec(base())).not.toThrow();
  });
});

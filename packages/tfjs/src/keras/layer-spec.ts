import { type ModelSpec, validateSpec } from '@thaw/spec';

/** The parts of a spec a single custom layer needs. */
export interface LayerSpecParts {
  readonly inputWidth: number;
  readonly activation: 'relu' | 'tanh';
  readonly residualUnits?: readonly number[];
  readonly mmoe?: {
    readonly experts: number;
    readonly expertUnits: readonly number[];
    readonly gateUnits: readonly number[];
    readonly towerUnits: readonly number[];
    readonly tasks: number;
  };
}

/**
 * A minimal spec whose model is just one custom layer's block, so the layer runs exactly the
 * `@thaw/model` functions the full model runs (`residualProjection`, `predict`) — one math.
 * Its single dense feature has width `inputWidth`; with no cross or deep layers `z̄` is the input.
 */
export function layerSpec(parts: LayerSpecParts, layer: string): ModelSpec {
  const tasks = parts.mmoe?.tasks ?? 1;
  const taskList = Array.from({ length: tasks }, (_, t) => ({ name: `task_${t}` }));
  return validateSpec(
    {
      specVersion: 1,
      name: 'layer',
      features: [{ name: 'x', group: 'nonHistorical', kind: 'dense', dim: parts.inputWidth }],
      architecture: {
        cross: { count: 0 },
        deep: { units: [] },
        residual: { enabled: parts.residualUnits !== undefined, projectionUnits: [...(parts.residualUnits ?? [1])] },
        mmoe: {
          experts: parts.mmoe?.experts ?? 1,
          expertUnits: [...(parts.mmoe?.expertUnits ?? [1])],
          gateUnits: [...(parts.mmoe?.gateUnits ?? [])],
        },
        tower: { units: [...(parts.mmoe?.towerUnits ?? [])] },
        activation: parts.activation,
      },
      tasks: taskList,
      utility: Object.fromEntries(taskList.map((t) => [t.name, 1])),
    },
    `${layer} config`,
  );
}

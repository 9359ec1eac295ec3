import { countParameters } from './count-parameters.js';
import type { ModelSpec } from './types.js';
import { validateSpec } from './validate.js';

/** Parameters one component adds, absolute and relative to the model without it. */
export interface ComponentOverhead {
  readonly parameters: number;
  /** Percent of the dense (non-embedding) parameters of the model without the component. */
  readonly percentOfDense: number;
  /** Percent of all parameters (embedding tables included) of the model without the component. */
  readonly percentOfTotal: number;
}

/** What Residual and the ALDI student add to a spec's model (paper Table 1: +4.96% and +28.89%). */
export interface ParameterOverhead {
  readonly residual: ComponentOverhead;
  readonly aldi: ComponentOverhead;
}

/**
 * The parameter increase of the Residual projection (eq 3) and of the ALDI student tower for the
 * model a spec describes, each relative to the same model without it — the "Params increase"
 * column of the paper's Table 1, whatever the spec currently enables.
 *
 * @example
 * ```ts
 * import { refMSpec } from '@thaw/spec';
 * parameterOverhead(refMSpec).residual.percentOfDense; // ≈ 3.55: 20,896 over 587,871 (P itself, and 32 more inputs per expert and gate)
 * ```
 */
export function parameterOverhead(spec: ModelSpec): ParameterOverhead {
  const variant = (residual: boolean, aldi: boolean) =>
    countParameters(
      validateSpec(
        {
          ...spec,
          architecture: { ...spec.architecture, residual: { ...spec.architecture.residual, enabled: residual } },
          coldStart: { ...spec.coldStart, aldi: { ...spec.coldStart.aldi, enabled: aldi } },
        },
        'parameterOverhead',
      ),
    );
  const plain = variant(false, false);
  const overhead = (withIt: ReturnType<typeof countParameters>): ComponentOverhead => {
    const parameters = withIt.total - plain.total;
    return { parameters, percentOfDense: (100 * parameters) / plain.dense, percentOfTotal: (100 * parameters) / plain.total };
  };
  return { residual: overhead(variant(true, false)), aldi: overhead(variant(false, true)) };
}

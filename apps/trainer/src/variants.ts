import type { ModelSpec } from '@thaw/spec';
import { paperSizedStudentUnits } from './aldi-student.js';

/** A technique a variant switches on. */
export type Technique = 'residual' | 'scorereg' | 'scorereg-label' | 'mixup' | 'dropout' | 'aldi' | 'aldi-paper';

/** The paper's comparison set (Table 1), in its order. */
export const PAPER_VARIANTS = [
  'baseline',
  'dropout',
  'aldi',
  'residual',
  'scorereg',
  'mixup',
  'residual+scorereg',
  'residual+mixup',
  'scorereg+mixup',
  'all',
] as const;

const TECHNIQUES: readonly Technique[] = ['residual', 'scorereg', 'scorereg-label', 'mixup', 'dropout', 'aldi', 'aldi-paper'];

/**
 * The techniques of a variant name: `baseline`, `all` (= residual+scorereg+mixup) or a
 * `+`-joined list of `residual`, `scorereg`, `scorereg-label` (ScoreReg matched within each label
 * class, an extra ablation — not in the paper), `mixup`, `dropout`, `aldi` (the spec's student, small
 * by default) or `aldi-paper` (a student sized to the paper's +28.89% parameters).
 *
 * @throws RangeError naming the unknown part and the allowed names.
 */
export function parseVariant(name: string): Technique[] {
  if (name === 'baseline') return [];
  if (name === 'all') return ['residual', 'scorereg', 'mixup'];
  const parts = name.split('+');
  for (const part of parts) {
    if (!TECHNIQUES.includes(part as Technique)) {
      throw new RangeError(
        `variant ${JSON.stringify(name)}: unknown technique ${JSON.stringify(part)}; use baseline, all, or a +-joined list of ${TECHNIQUES.join(', ')}`,
      );
    }
  }
  if (new Set(parts).size !== parts.length) throw new RangeError(`variant ${JSON.stringify(name)}: a technique is repeated`);
  if (parts.includes('scorereg') && parts.includes('scorereg-label')) {
    throw new RangeError(
      `variant ${JSON.stringify(name)}: scorereg and scorereg-label are two forms of one regulariser; pick one`,
    );
  }
  if (parts.includes('aldi') && parts.includes('aldi-paper')) {
    throw new RangeError(`variant ${JSON.stringify(name)}: aldi and aldi-paper are two sizes of one student; pick one`);
  }
  return parts as Technique[];
}

/**
 * The spec a variant trains: the user's spec with each technique's `enabled` flag set — on for the
 * variant's techniques, off for the others. Weights (λ1, λ2), α, projection widths and the
 * baselines' settings stay as the spec gives them.
 *
 * @example `variantSpec(spec, 'residual+mixup').coldStart.scoreReg.enabled === false`
 */
export function variantSpec(spec: ModelSpec, name: string): ModelSpec {
  const on = new Set(parseVariant(name));
  return {
    ...spec,
    architecture: { ...spec.architecture, residual: { ...spec.architecture.residual, enabled: on.has('residual') } },
    coldStart: {
      ...spec.coldStart,
      scoreReg: {
        ...spec.coldStart.scoreReg,
        enabled: on.has('scorereg') || on.has('scorereg-label'),
        condition: on.has('scorereg-label') ? 'label' : on.has('scorereg') ? 'none' : spec.coldStart.scoreReg.condition,
      },
      mixup: { ...spec.coldStart.mixup, enabled: on.has('mixup') },
      dropout: { ...spec.coldStart.dropout, enabled: on.has('dropout') },
      aldi: {
        ...spec.coldStart.aldi,
        enabled: on.has('aldi') || on.has('aldi-paper'),
        ...(on.has('aldi-paper') ? { studentUnits: paperSizedStudentUnits(spec) } : {}),
      },
    },
  };
}

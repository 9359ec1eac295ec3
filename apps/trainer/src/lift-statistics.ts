import {
  type ClusterIds,
  effectiveClusterCount,
  hitsAtKPerRequest,
  holmAdjust,
  pairedBootstrap,
  type RankingSet,
} from '@thaw/metrics';
import { HITS_K, type LiftStatistics } from './results.js';

/** The techniques whose fresh lift on the first task is a primary cell (declared before any run). */
export const PRIMARY_VARIANTS: readonly string[] = ['all', 'residual', 'scorereg', 'mixup'];

/** The slices of a lift table, in column order. */
export const LIFT_SLICES = ['fresh', 'all'] as const;

/** One cell of the lift table: a variant's Hits@3 lift over the baseline on one slice and task. */
export interface CellLift {
  readonly variant: string;
  readonly slice: 'fresh' | 'all';
  readonly task: string;
  /** Lift in % (seed means), with its user-clustered 95% interval. */
  readonly value: number;
  readonly ci95: readonly [number, number];
  /** Difference in Hits@3 points (× 100) with its interval. */
  readonly points: number;
  readonly pointsCi95: readonly [number, number];
  /** Two-sided bootstrap p of "no difference". */
  readonly p: number;
  /** Declared primary (fresh, first task, `all` or a single paper technique): judged on `p` alone. */
  readonly primary: boolean;
  /** Holm-adjusted p over every non-primary cell of the table (undefined for a primary cell). */
  readonly pHolm?: number;
  /** Primary: `p < 0.05`; secondary: `pHolm < 0.05`. */
  readonly significant: boolean;
  /** Per-seed lifts in %, seed k of the variant against seed k of the baseline. */
  readonly perSeed: readonly number[];
}

/** Inputs of {@link liftTable}. */
export interface LiftTableInput {
  readonly tasks: readonly string[];
  /** Per-seed rankings of the baseline, all over the same evaluation requests. */
  readonly baseline: readonly RankingSet[];
  /** Per-seed rankings of each other variant (same seed count as the baseline, same requests), in table order. */
  readonly variants: ReadonlyMap<string, readonly RankingSet[]>;
  /** The user of each evaluation request, in the rankings' request order. */
  readonly users: ClusterIds;
  readonly samples: number;
  readonly seed: number;
}

const cellName = (variant: string, slice: string, task: string) => `${variant} / ${slice} / ${task}`;

/**
 * The lift table of an experiment with the noise a reviewer would accept: each cell's Hits@3 lift
 * over the baseline with a bootstrap that resamples **users** (every request of a user together)
 * and training seeds paired across arms (`pairedBootstrap` of `@thaw/metrics` with `clusters`);
 * the primary cells declared in advance ({@link PRIMARY_VARIANTS} on fresh items, first task)
 * judged at 5% each, every other cell Holm-corrected as one family; Kish's effective number of
 * users per slice and task.
 *
 * @example `const { cells, statistics } = liftTable({ tasks, baseline, variants, users, samples: 1000, seed: 7 });`
 */
export function liftTable(input: LiftTableInput): { cells: CellLift[]; statistics: LiftStatistics } {
  const { tasks, baseline } = input;
  const raw: Omit<CellLift, 'pHolm' | 'significant'>[] = [];
  let k = 0;
  for (const [variant, sets] of input.variants) {
    for (const slice of LIFT_SLICES) {
      tasks.forEach((task, t) => {
        const metric = (set: RankingSet) => hitsAtKPerRequest(set, HITS_K, { task: t, slice });
        const result = pairedBootstrap(metric, baseline, sets, {
          clusters: input.users,
          samples: input.samples,
          seed: input.seed + k++,
        });
        const perSeed = sets.map((set, s) => {
          const a = metric(baseline[s] as RankingSet);
          const b = metric(set);
          const ratio = (values: { numerator: Float64Array; denominator: Float64Array }) =>
            values.numerator.reduce((x, y) => x + y, 0) / values.denominator.reduce((x, y) => x + y, 0);
          return 100 * (ratio(b) / ratio(a) - 1);
        });
        raw.push({
          variant,
          slice,
          task,
          value: result.lift,
          ci95: result.ci,
          points: 100 * result.difference,
          pointsCi95: [100 * (result.differenceCi[0] as number), 100 * (result.differenceCi[1] as number)],
          p: result.pValue,
          primary: slice === 'fresh' && t === 0 && PRIMARY_VARIANTS.includes(variant),
          perSeed,
        });
      });
    }
  }
  const secondary = raw.filter((c) => !c.primary);
  const adjusted = holmAdjust(secondary.map((c) => c.p));
  const holmOf = new Map(secondary.map((c, i) => [c, adjusted[i] as number]));
  const cells: CellLift[] = raw.map((c) =>
    c.primary
      ? { ...c, significant: c.p < 0.05 }
      : { ...c, pHolm: holmOf.get(c) as number, significant: (holmOf.get(c) as number) < 0.05 },
  );
  const effective = (slice: 'fresh' | 'all') =>
    Object.fromEntries(
      tasks.map((task, t) => [
        task,
        effectiveClusterCount(hitsAtKPerRequest(baseline[0] as RankingSet, HITS_K, { task: t, slice }), input.users),
      ]),
    );
  return {
    cells,
    statistics: {
      unit: 'user',
      users: new Set(Array.from(input.users as ArrayLike<unknown>)).size,
      effectiveUsers: { fresh: effective('fresh'), all: effective('all') },
      primaryCells: raw.filter((c) => c.primary).map((c) => cellName(c.variant, c.slice, c.task)),
      holmFamily: secondary.length,
      bootstrapSamples: input.samples,
    },
  };
}

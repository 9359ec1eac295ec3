import { type DayMetrics, POSITION_BUCKET_LIMITS, POSITION_BUCKETS, SIMULATED_TASKS } from '@thaw/data';
import { clusterBootstrap, pairedLiftT, studentTQuantile } from '@thaw/metrics';
import type { ArmPlan } from './ab-plan.js';
import type { AbMetric, AbSeries, AbTable, ArmLift, ArmValue } from './ab-results.js';
import type { ArmWorldResult, WorldResult } from './ab-world.js';

interface MetricDefinition {
  readonly id: string;
  readonly table: AbTable;
  readonly label: string;
  readonly unit: string;
  readonly value: (arm: ArmWorldResult) => number;
}

const sum = (days: readonly DayMetrics[], pick: (d: DayMetrics) => number) => days.reduce((s, d) => s + pick(d), 0);
const TABLE5_TASKS = [0, 1] as const; // grid-click, save (the paper's Table 5)

/** The position buckets a feed of `candidates` positions reaches. */
export function reachedBuckets(candidates: number): string[] {
  return POSITION_BUCKETS.filter((_, b) => b === 0 || candidates > (POSITION_BUCKET_LIMITS[b - 1] as number));
}

/**
 * Every metric of the comparison, as a value per arm per world: Table 2 (engagement volume per
 * task, fresh and all items), Table 3 (unique fresh items reaching the thresholds), Table 5
 * (grid-clicks and saves per position bucket), the oracle utility and regret of the shown slates,
 * the guardrails (engagement per fresh impression) and the fresh impression share.
 */
export function metricDefinitions(
  thresholds: { readonly impressions: readonly number[]; readonly saves: readonly number[] },
  candidates: number,
): MetricDefinition[] {
  const defs: MetricDefinition[] = [];
  for (const slice of ['fresh', 'all'] as const) {
    SIMULATED_TASKS.forEach((task, t) => {
      defs.push({
        id: `volume.${slice}.${task}`,
        table: 'table2',
        label: `${task} on ${slice} items`,
        unit: 'engagements per world',
        value: (arm) => sum(arm.daily, (d) => d.engagements[slice][t] as number),
      });
    });
  }
  thresholds.impressions.forEach((n, i) => {
    defs.push({
      id: `freshItems.impressions>=${n}`,
      table: 'table3',
      label: `fresh items with ${n}+ impressions`,
      unit: 'unique items per world',
      value: (arm) => arm.freshItems.impressions[i] as number,
    });
  });
  thresholds.saves.forEach((n, i) => {
    defs.push({
      id: `freshItems.saves>=${n}`,
      table: 'table3',
      label: `fresh items with ${n}+ save${n === 1 ? '' : 's'}`,
      unit: 'unique items per world',
      value: (arm) => arm.freshItems.saves[i] as number,
    });
  });
  reachedBuckets(candidates).forEach((bucket, b) => {
    for (const t of TABLE5_TASKS) {
      defs.push({
        id: `position.${bucket}.${SIMULATED_TASKS[t]}`,
        table: 'table5',
        label: `${SIMULATED_TASKS[t]}, positions ${bucket}`,
        unit: 'engagements per world',
        value: (arm) => sum(arm.daily, (d) => (d.positions.engagements[b] as number[])[t] as number),
      });
    }
  });
  const requests = (arm: ArmWorldResult) => sum(arm.daily, (d) => d.requests);
  defs.push(
    {
      id: 'oracle.utilityPerRequest',
      table: 'oracle',
      label: 'oracle utility per request',
      unit: 'expected eq 12 utility of the shown slate (Σ_k e_k Σ_t u_t p*_t)',
      value: (arm) => sum(arm.daily, (d) => d.utility) / requests(arm),
    },
    {
      id: 'oracle.regretPerRequest',
      table: 'oracle',
      label: 'oracle regret per request',
      unit: 'best slate − shown slate, expected utility (lower is better)',
      value: (arm) => sum(arm.daily, (d) => d.bestUtility - d.utility) / requests(arm),
    },
    {
      id: 'oracle.utilityRatio',
      table: 'oracle',
      label: 'oracle utility / best',
      unit: 'share of the best slates’ expected utility',
      value: (arm) => sum(arm.daily, (d) => d.utility) / sum(arm.daily, (d) => d.bestUtility),
    },
    {
      id: 'guardrail.freshGridClickRate',
      table: 'guardrail',
      label: 'grid-clicks per fresh impression',
      unit: 'fresh grid-clicks / fresh impressions',
      value: (arm) => sum(arm.daily, (d) => d.engagements.fresh[0]) / sum(arm.daily, (d) => d.freshImpressions),
    },
    {
      id: 'guardrail.freshSaveRate',
      table: 'guardrail',
      label: 'saves per fresh impression',
      unit: 'fresh saves / fresh impressions',
      value: (arm) => sum(arm.daily, (d) => d.engagements.fresh[1]) / sum(arm.daily, (d) => d.freshImpressions),
    },
    {
      id: 'exposure.freshShare',
      table: 'exposure',
      label: 'fresh impression share',
      unit: 'fresh impressions / impressions',
      value: (arm) => sum(arm.daily, (d) => d.freshImpressions) / sum(arm.daily, (d) => d.impressions),
    },
  );
  return defs;
}

function armValue(values: number[]): ArmValue {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2 || !values.every(Number.isFinite)) return { mean, ci: [Number.NaN, Number.NaN], perWorld: values };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { mean, ci: [mean - half, mean + half], perWorld: values };
}

function armLift(control: number[], arm: number[], samples: number, seed: number): ArmLift {
  const nan: [number, number] = [Number.NaN, Number.NaN];
  if (!control.every(Number.isFinite) || !arm.every(Number.isFinite)) {
    return {
      lift: Number.NaN,
      ci: nan,
      bootstrapCi: nan,
      difference: Number.NaN,
      differenceCi: nan,
      p: Number.NaN,
      significant: false,
    };
  }
  const t = pairedLiftT(control, arm);
  const ones = new Float64Array(control.length).fill(1);
  const bootstrap =
    control.length >= 2
      ? clusterBootstrap(
          { numerator: Float64Array.from(control), denominator: ones },
          { numerator: Float64Array.from(arm), denominator: ones },
          { samples, seed },
        ).ci
      : nan;
  return {
    lift: t.lift,
    ci: t.ci,
    bootstrapCi: bootstrap,
    difference: t.difference,
    differenceCi: t.differenceCi,
    p: t.pValue,
    significant: t.significant,
  };
}

/**
 * Summarises the worlds: every metric per arm (mean over worlds with a t interval) and as a lift
 * over the control paired by world (t interval over worlds, and a world bootstrap beside it).
 */
export function summariseMetrics(
  worlds: readonly WorldResult[],
  arms: readonly ArmPlan[],
  definitions: readonly MetricDefinition[],
  bootstrapSamples: number,
): AbMetric[] {
  const control = (arms[0] as ArmPlan).id;
  const boost = arms.find((a) => a.role === 'boost');
  const treatments = arms.filter((a) => a.role === 'treatment');
  return definitions.map((def, i) => {
    const values = Object.fromEntries(arms.map((a) => [a.id, worlds.map((w) => def.value(w.arms[a.id] as ArmWorldResult))]));
    const versusBoost = boost
      ? {
          versusBoost: Object.fromEntries(
            treatments.map((a) => [
              a.id,
              armLift(values[boost.id] as number[], values[a.id] as number[], bootstrapSamples, 5000 + i),
            ]),
          ),
        }
      : {};
    return {
      id: def.id,
      table: def.table,
      label: def.label,
      unit: def.unit,
      arms: Object.fromEntries(arms.map((a) => [a.id, armValue(values[a.id] as number[])])),
      lifts: Object.fromEntries(
        arms
          .filter((a) => a.id !== control)
          .map((a) => [a.id, armLift(values[control] as number[], values[a.id] as number[], bootstrapSamples, 1000 + i)]),
      ),
      ...versusBoost,
    };
  });
}

/** The daily series (mean over worlds per arm and day): fresh exposure, fresh and all engagement, utility, regret. */
export function dailySeries(worlds: readonly WorldResult[], arms: readonly ArmPlan[], days: number): AbSeries[] {
  const series = (id: string, label: string, unit: string, pick: (d: DayMetrics) => number): AbSeries => ({
    id,
    label,
    unit,
    arms: Object.fromEntries(
      arms.map((a) => [
        a.id,
        Array.from(
          { length: days },
          (_, day) =>
            worlds.reduce((s, w) => s + pick((w.arms[a.id] as ArmWorldResult).daily[day] as DayMetrics), 0) / worlds.length,
        ),
      ]),
    ),
  });
  return [
    series('freshShare', 'Fresh impression share', 'share of impressions', (d) => d.freshImpressions / d.impressions),
    series('freshGridClicks', 'Grid-clicks on fresh items', 'per day', (d) => d.engagements.fresh[0]),
    series('freshSaves', 'Saves on fresh items', 'per day', (d) => d.engagements.fresh[1]),
    series('allGridClicks', 'Grid-clicks on all items', 'per day', (d) => d.engagements.all[0]),
    series('utilityPerRequest', 'Oracle utility per request', 'expected utility', (d) => d.utility / d.requests),
    series(
      'regretPerRequest',
      'Oracle regret per request',
      'expected utility lost',
      (d) => (d.bestUtility - d.utility) / d.requests,
    ),
  ];
}

/**
 * Requests and impressions per world, checked equal in every arm (the arms share users, arrivals,
 * queries and scroll depths).
 *
 * @throws Error naming the world, arm and day where the arms' traffic differs.
 */
export function sharedTraffic(worlds: readonly WorldResult[], arms: readonly ArmPlan[]) {
  const requests: number[] = [];
  const impressions: number[] = [];
  for (const w of worlds) {
    const first = w.arms[(arms[0] as ArmPlan).id] as ArmWorldResult;
    for (const a of arms) {
      (w.arms[a.id] as ArmWorldResult).daily.forEach((d, day) => {
        const f = first.daily[day] as DayMetrics;
        if (d.requests !== f.requests || d.impressions !== f.impressions) {
          throw new Error(
            `simulate-ab: world ${w.world}, day ${day}: arm ${a.id} saw different traffic than ${(arms[0] as ArmPlan).id}`,
          );
        }
      });
    }
    requests.push(sum(first.daily, (d) => d.requests));
    impressions.push(sum(first.daily, (d) => d.impressions));
  }
  return { requests, impressions };
}

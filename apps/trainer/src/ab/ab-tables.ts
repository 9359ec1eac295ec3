import { count, fixed, interval, percent, signed } from '../report/format.js';
import { cell, type ReportTable, type TableCell, type TableColumn } from '../report/tables/report-table.js';
import type { AbMetric, AbResults, AbTable } from './ab-results.js';

const TITLES: Record<AbTable, string> = {
  table2: 'Table 2 analogue: engagement volume',
  table3: 'Table 3 analogue: unique fresh items with engagement',
  table5: 'Table 5 analogue: engagement volume by position',
  oracle: 'Oracle utility and regret of the shown slates',
  guardrail: 'Guardrails: engagement per fresh impression',
  exposure: 'Fresh exposure',
};

const metricsOf = (ab: AbResults, table: AbTable) => ab.metrics.filter((m) => m.table === table);

/** How a metric's per-arm values print: counts as integers, shares as %, utilities with 4 digits. */
function formatValue(metric: AbMetric, value: number): string {
  if (metric.table === 'guardrail' || metric.table === 'exposure' || metric.id === 'oracle.utilityRatio')
    return percent(value, 2);
  if (metric.table === 'oracle') return fixed(value, 4);
  return count(value);
}

function columnsFor(metrics: readonly AbMetric[], first: string): TableColumn[] {
  return [
    { label: first, align: 'left' },
    ...metrics.map((m): TableColumn => {
      if (m.table === 'table2') {
        const [, slice, task] = m.id.split('.');
        return { label: task as string, group: `${slice} items`, align: 'right' };
      }
      if (m.table === 'table5') {
        const [, bucket, task] = m.id.split('.');
        return { label: bucket as string, group: task as string, align: 'right' };
      }
      return { label: m.label, align: 'right' };
    }),
  ];
}

/**
 * A lift table: one row per non-control arm, one column per metric of `table`; a cell is the lift
 * in % over the control, bold with `*` when its t interval over worlds excludes 0, with the t
 * interval and the world-bootstrap interval beneath.
 */
export function abLiftTable(ab: AbResults, table: AbTable): ReportTable {
  const metrics = metricsOf(ab, table);
  const rows = ab.arms
    .filter((a) => a.id !== ab.control)
    .map((arm): TableCell[] => [
      cell(arm.label),
      ...metrics.map((m) => {
        const lift = m.lifts[arm.id];
        if (!lift || !Number.isFinite(lift.lift))
          return cell('n/a', { title: 'undefined (the control is 0 or a value is missing)' });
        return cell(signed(lift.lift, 2), {
          strong: lift.significant,
          ...(lift.significant ? { marker: '*' } : {}),
          details: [interval(lift.ci, 2), `boot ${interval(lift.bootstrapCi, 2)}`],
          title: `difference ${signed(lift.difference, 4)} ${interval(lift.differenceCi, 4)}; paired t p = ${Number.isFinite(lift.p) ? lift.p.toPrecision(2) : 'n/a'}`,
        });
      }),
    ]);
  return {
    id: `ab-lift-${table}`,
    title: `${TITLES[table]} — lift (%) over ${ab.control}`,
    columns: columnsFor(metrics, 'arm'),
    rows,
    notes: [
      `Lift = 100·(mean over ${ab.settings.worlds} worlds of the arm / of ${ab.control} − 1). Beneath: the 95% Student-t interval over worlds (paired, ${ab.settings.worlds - 1} df, linearised ratio) and "boot", a bootstrap resampling worlds (${ab.settings.bootstrapSamples} replicates; too narrow with few worlds). * (bold): the t interval excludes 0.`,
    ],
  };
}

/** The per-arm values of `table`: mean over worlds with its t interval beneath. */
export function abValueTable(ab: AbResults, table: AbTable): ReportTable {
  const metrics = metricsOf(ab, table);
  const rows = ab.arms.map((arm): TableCell[] => [
    cell(arm.label),
    ...metrics.map((m) => {
      const v = m.arms[arm.id];
      if (!v) return cell('n/a');
      return cell(formatValue(m, v.mean), { details: [`[${formatValue(m, v.ci[0])}, ${formatValue(m, v.ci[1])}]`] });
    }),
  ]);
  const units = [...new Set(metrics.map((m) => m.unit))];
  return {
    id: `ab-values-${table}`,
    title: `${TITLES[table]} — per arm (mean over worlds)`,
    columns: columnsFor(metrics, 'arm'),
    rows,
    notes: [`Units: ${units.join('; ')}. Beneath: 95% Student-t interval of the mean over worlds.`],
  };
}

/** The metrics of the head-to-head table against the fresh boost. */
const VERSUS_BOOST_METRICS = [
  'volume.fresh.grid_click',
  'volume.fresh.save',
  'volume.all.grid_click',
  'volume.all.save',
  'freshItems.impressions>=10',
  'oracle.utilityPerRequest',
  'oracle.regretPerRequest',
  'guardrail.freshGridClickRate',
  'exposure.freshShare',
];

/**
 * The heuristic a technique must beat: each treatment's lift (%) over the fresh-boost arm (the
 * control plus a boost matched to its fresh impression share) on the headline metrics, paired by
 * world. Above 0 on fresh volume at no loss on all items and utility: "warmer for less".
 */
export function abVersusBoostTable(ab: AbResults): ReportTable | undefined {
  const boost = ab.arms.find((a) => a.role === 'boost');
  if (!boost) return undefined;
  const metrics = VERSUS_BOOST_METRICS.flatMap((id) => ab.metrics.filter((m) => m.id === id && m.versusBoost));
  const rows = ab.arms
    .filter((a) => a.role === 'treatment')
    .map((arm): TableCell[] => [
      cell(`${arm.id} vs ${boost.id}`),
      ...metrics.map((m) => {
        const lift = m.versusBoost?.[arm.id];
        if (!lift || !Number.isFinite(lift.lift)) return cell('n/a');
        return cell(signed(lift.lift, 2), {
          strong: lift.significant,
          ...(lift.significant ? { marker: '*' } : {}),
          details: [interval(lift.ci, 2), `boot ${interval(lift.bootstrapCi, 2)}`],
        });
      }),
    ]);
  return {
    id: 'ab-versus-boost',
    title: `Against the heuristic: each treatment's lift (%) over ${boost.id}`,
    columns: [{ label: 'comparison', align: 'left' }, ...metrics.map((m): TableColumn => ({ label: m.label, align: 'right' }))],
    rows,
    notes: [
      `The boost arm is ${ab.control} served with a constant cold-logit boost matched to the treatment's fresh impression share (${ab.settings.boostMatch === 'daily' ? 'on the pilot, then re-matched daily' : 'on the pilot'}). A treatment is "warmer for less" only if it beats this arm on fresh engagement without losing on all items or utility. Intervals as in the lift tables (t over worlds; world bootstrap beneath).`,
    ],
  };
}

/** How the fresh-boost arm's boost came out in each world (chosen by impression share only). */
export function abBoostTable(ab: AbResults): ReportTable | undefined {
  if (!ab.boost?.length) return undefined;
  const labels = [
    'world',
    'pilot boost (logits)',
    'kind',
    'target share',
    'control share',
    'boosted share',
    'pilot requests',
    'daily boost (min..max)',
  ];
  return {
    id: 'ab-boost',
    title: 'Fresh-boost arm: its boost per world (impression share only)',
    columns: labels.map((label, i) => ({ label, align: i === 0 || i === 2 ? 'left' : 'right' })),
    rows: ab.boost.map((b) => [
      cell(String(b.world)),
      cell(fixed(b.boost, 3)),
      cell(b.kind),
      cell(percent(b.targetShare, 2)),
      cell(percent(b.controlShare, 2)),
      cell(percent(b.boostedShare, 2)),
      cell(count(b.requests)),
      cell(`${fixed(Math.min(...b.daily), 2)}..${fixed(Math.max(...b.daily), 2)}`),
    ]),
    notes: [
      'Day 0, per world: the pilot’s requests (drawn at the A/B start from their own stream, never shown) are ranked with the state at the start by the target’s initial model and by the control’s initial model boosted by −2…+8 logits, bisected to the boost whose fresh impression share is closest to the target’s (shares above).',
      ab.settings.boostMatch === 'daily'
        ? 'Then daily: after each day, the boost arm’s own candidates of that day (its model’s probabilities as scored) are re-ranked to find the boost whose fresh impression share equals the target’s realised share of that day; it serves the next day. Impression shares only: no engagement, utility or outcome enters any choice.'
        : 'The pilot’s boost is served for the whole run (--boost-match pilot); the daily fresh-share chart shows whether the match held as the arms’ histories diverged.',
    ],
  };
}

/** The run's settings and timing. */
export function abSettingsTable(ab: AbResults): ReportTable {
  const s = ab.settings;
  const rows: [string, string][] = [
    ['preset', s.preset],
    [
      'world (simulator preset)',
      `${s.world} (quality visible in content ν = ${s.worldOptions.qualityVisibility}, ${count(s.worldOptions.users)} users, ${count(s.worldOptions.initialItems)} initial items + ${s.worldOptions.newItemsPerDay}/day, warm-up ${s.worldOptions.warmupRequestsPerDay} requests/day)`,
    ],
    ['worlds (seeds 1…W)', String(s.worlds)],
    ['A/B days', String(s.days)],
    ['requests per day (mean)', count(s.requestsPerDay)],
    ['candidates ranked per request', String(s.candidates)],
    ['scroll depth', `log-normal, median ${s.scroll.median}, log-sd ${s.scroll.spread}, ≤ ${s.candidates}`],
    ['feature refresh', `every ${s.refreshHours} h`],
    ['fine-tune', s.retrainEvery > 0 ? `every ${s.retrainEvery} days on the arm’s last ${s.trainWindow} days` : 'never'],
    ['fresh', `created within ${s.freshDays} days`],
    ['requests per world', ab.traffic.requests.map(count).join(', ')],
    ['impressions per world (every arm)', ab.traffic.impressions.map(count).join(', ')],
    ['backend', s.backend],
    [
      'wall time',
      `${fixed(ab.seconds.total, 0)} s (per world ${ab.seconds.perWorld.map((v) => fixed(v, 0)).join(', ')}; initial models ${fixed(ab.seconds.initialTraining, 0)} s, serving ${fixed(ab.seconds.serving, 0)} s, fine-tunes ${fixed(ab.seconds.fineTunes, 0)} s)`,
    ],
  ];
  return {
    id: 'ab-settings',
    title: 'Settings',
    columns: [
      { label: 'setting', align: 'left' },
      { label: 'value', align: 'left' },
    ],
    rows: rows.map(([k, v]) => [cell(k), cell(v)]),
    notes: [],
  };
}

/** The A/A check in words: how many of the A/A arm's lift intervals cover 0. */
export function aaVerdict(ab: AbResults): string | undefined {
  const aa = ab.arms.find((a) => a.role === 'aa');
  if (!aa) return undefined;
  const lifts = ab.metrics.map((m) => m.lifts[aa.id]).filter((l) => l && Number.isFinite(l.ci[0]));
  const covering = lifts.filter((l) => l && l.ci[0] <= 0 && l.ci[1] >= 0).length;
  return `A/A check (${aa.label}): ${covering} of ${lifts.length} lift intervals cover 0 (expect about 95%).`;
}

// The pre-declared mechanism sweep of the simulator (design: packages/data/README.md, "The mechanism
// sweep (pre-declared)"): qualityVisibility ν ∈ {0, 0.3, 0.6} × item_age on/off the residual path ×
// simulated worlds 1, 2, 3 of the demo preset, 2 training seeds each; every cell a full
// `thaw-train experiment` with the oracle table and the fresh-boost frontier.
//
//   npm run build && nice -n 10 node apps/trainer/scripts/mechanism-sweep.mjs [--out runs/sweep] [--resume]
//
// Resumable: with --resume, finished training runs are reused. Prints and writes summary.md and
// summary.json under --out. Takes hours on the shared 2-core machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simulate } from '@thaw/data';
import { validateSpec } from '@thaw/spec';
import { useTfjsBackend } from '@thaw/tfjs';
import { simulationData } from '../dist/data-source.js';
import { runExperiment } from '../dist/experiment.js';
import { createLogger } from '../dist/logger.js';

const args = process.argv.slice(2);
const out = resolve(args.includes('--out') ? (args[args.indexOf('--out') + 1] ?? 'runs/sweep') : 'runs/sweep');
const resume = args.includes('--resume');

export const DESIGN = {
  visibility: [0, 0.3, 0.6],
  itemAge: ['in', 'out'],
  worlds: [1, 2, 3],
  seeds: 2,
  variants: { in: ['baseline', 'residual', 'scorereg', 'mixup', 'all'], out: ['baseline', 'residual', 'all'] },
  bootstrapSamples: 1000,
};

const backend = await useTfjsBackend({ prefer: 'auto' });
const logger = createLogger({ mode: 'quiet' });
const say = (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
mkdirSync(out, { recursive: true });

const cells = [];
const started = performance.now();
for (const nu of DESIGN.visibility) {
  for (const world of DESIGN.worlds) {
    const sim = simulate({ preset: 'demo', qualityVisibility: nu }, world);
    for (const age of DESIGN.itemAge) {
      const spec =
        age === 'in'
          ? sim.spec
          : validateSpec({
              ...sim.spec,
              architecture: { ...sim.spec.architecture, residual: { ...sim.spec.architecture.residual, exclude: ['item_age'] } },
            });
      const name = `sim:demo ν=${nu} world ${world} item_age ${age}`;
      const dir = join(out, `nu-${nu}`, `age-${age}`, `world-${world}`);
      say(`${name} → ${dir}`);
      const t0 = performance.now();
      const results = await runExperiment({
        data: simulationData(sim, name, 'demo'),
        spec,
        out: dir,
        variants: DESIGN.variants[age],
        seeds: DESIGN.seeds,
        resume,
        logger,
        backend,
        bootstrapSamples: DESIGN.bootstrapSamples,
      });
      say(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      cells.push({ nu, age, world, results });
    }
  }
}

const pts = (d) =>
  d === undefined ? null : { value: 100 * d.value, lo: 100 * d.ci95[0], hi: 100 * d.ci95[1], significant: d.significant };
const rows = [];
for (const { nu, age, world, results } of cells) {
  const oracle = results.oracle;
  const logged = results.variants;
  const baseline = oracle.variants.find((v) => v.name === 'baseline');
  for (const v of oracle.variants) {
    const placement = oracle.frontier.placements.find((p) => p.variant === v.name);
    const liftOf = logged.find((x) => x.name === v.name)?.liftPct;
    rows.push({
      nu,
      age,
      world,
      variant: v.name,
      utilityRatio: v.utilityRatio.value,
      freshRecall: v.freshRecall.value,
      vsBaseline: v.vsBaseline
        ? { utilityRatio: pts(v.vsBaseline.utilityRatio), freshRecall: pts(v.vsBaseline.freshRecall) }
        : null,
      freshMatched: placement
        ? {
            boost: placement.freshMatched.boost,
            match: placement.freshMatched.match,
            all: pts(placement.freshMatched.allDifference),
            fresh: pts(placement.freshMatched.freshDifference),
            verdict: placement.freshMatched.verdict,
          }
        : null,
      allMatched: placement
        ? {
            boost: placement.allMatched.boost,
            match: placement.allMatched.match,
            fresh: pts(placement.allMatched.freshDifference),
            all: pts(placement.allMatched.allDifference),
            verdict: placement.allMatched.verdict,
          }
        : null,
      loggedLift: liftOf
        ? { fresh: liftOf.fresh['hits@3'].grid_click?.value ?? null, all: liftOf.all['hits@3'].grid_click?.value ?? null }
        : null,
      baselineBiasGap: baseline ? baseline.bias.grid_click.fresh.value - baseline.bias.grid_click.warm.value : null,
      bias: { fresh: v.bias.grid_click.fresh.value, warm: v.bias.grid_click.warm.value },
    });
  }
}

const fmt = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x > 0 ? '+' : ''}${x.toFixed(d)}`);
const cell = (d) => (d ? `${fmt(d.value)}${d.significant ? '*' : ''} [${fmt(d.lo)}, ${fmt(d.hi)}]` : '—');
const matchNote = (m) => (m && m.match !== 'matched' ? ` (${m.match})` : '');
const lines = [
  '| ν | item_age | variant | world | utility ratio@3 | Δ vs baseline (pts) | fresh recall@3 | Δ vs baseline (pts) | fresh-matched boost | Δ all at equal fresh (pts) | verdict | all-matched boost | Δ fresh at equal all (pts) | Δ all (pts) | verdict | logged fresh / all Hits@3 lift % (grid_click) |',
  '| ---: | --- | --- | ---: | ---: | --- | ---: | --- | ---: | --- | --- | ---: | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.nu} | ${r.age} | ${r.variant} | ${r.world} | ${r.utilityRatio.toFixed(4)} | ${cell(r.vsBaseline?.utilityRatio)} | ${r.freshRecall.toFixed(4)} | ${cell(r.vsBaseline?.freshRecall)} | ${fmt(r.freshMatched?.boost)}${matchNote(r.freshMatched)} | ${cell(r.freshMatched?.all)} | ${r.freshMatched?.verdict ?? '—'} | ${fmt(r.allMatched?.boost)}${matchNote(r.allMatched)} | ${cell(r.allMatched?.fresh)} | ${cell(r.allMatched?.all)} | ${r.allMatched?.verdict ?? '—'} | ${r.loggedLift ? `${fmt(r.loggedLift.fresh, 1)} / ${fmt(r.loggedLift.all, 1)}` : '—'} |`,
  ),
];
// Per setting and variant over the worlds: the decision rule, for both matching rules.
const summary = [
  '',
  '| ν | item_age | variant | mean Δ all at equal fresh (pts) | fresh-matched: worlds above / on / below / colder / trade-off | mean Δ fresh at equal all (pts) | all-matched (as declared): above / on / below / trade-off | mean Δ utility vs baseline (pts) | mean Δ fresh recall vs baseline (pts) | warmer for less? |',
  '| ---: | --- | --- | ---: | --- | ---: | --- | ---: | ---: | --- |',
];
const groups = new Map();
for (const r of rows) {
  const key = `${r.nu}|${r.age}|${r.variant}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const decisions = [];
for (const [key, group] of groups) {
  const [nu, age, variant] = key.split('|');
  const count = (rule, v) => group.filter((r) => r[rule]?.verdict === v).length;
  const counts = (rule, verdicts) => verdicts.map((v) => count(rule, v)).join(' / ');
  const meanAll = mean(group.map((r) => r.freshMatched?.all?.value ?? Number.NaN));
  const meanFresh = mean(group.map((r) => r.allMatched?.fresh?.value ?? Number.NaN));
  // The declared rule (all-matched): above in ≥ 2 of 3 worlds and mean Δ fresh > 0; the same rule on the fresh-matched test.
  const warmerDeclared = variant !== 'baseline' && count('allMatched', 'above') >= 2 && meanFresh > 0;
  const warmer = variant !== 'baseline' && count('freshMatched', 'above') >= 2 && meanAll > 0;
  decisions.push({ nu: Number(nu), age, variant, meanAll, meanFresh, warmer, warmerDeclared });
  summary.push(
    `| ${nu} | ${age} | ${variant} | ${fmt(meanAll)} | ${counts('freshMatched', ['above', 'on', 'below', 'colder', 'tradeoff'])} | ${fmt(meanFresh)} | ${counts('allMatched', ['above', 'on', 'below', 'tradeoff'])} | ${fmt(mean(group.map((r) => r.vsBaseline?.utilityRatio?.value ?? Number.NaN)))} | ${fmt(mean(group.map((r) => r.vsBaseline?.freshRecall?.value ?? Number.NaN)))} | ${variant === 'baseline' ? '—' : `${warmer ? '**yes**' : 'no'} (all-matched: ${warmerDeclared ? 'yes' : 'no'})`} |`,
  );
}
const minutes = ((performance.now() - started) / 60000).toFixed(0);
const text = [
  `Mechanism sweep (${minutes} min, backend ${backend}); * = the 95% interval excludes 0; intervals resample users (and training seeds, paired).`,
  '',
  ...lines,
  ...summary,
  '',
].join('\n');
writeFileSync(join(out, 'summary.md'), text);
writeFileSync(join(out, 'summary.json'), `${JSON.stringify({ design: DESIGN, rows, decisions }, null, 2)}\n`);
process.stdout.write(`\n${text}`);

// End-to-end cost of an experiment, where users feel training speed: `thaw-train experiment` on
// sim:demo (what `npm start` runs) with each training engine in the same invocation, and — with
// `--movielens` and ../shared/data present — MovieLens `baseline,all` × 2 seeds. Prints wall time
// per run and the phases the trainer logged (train, calibrate, evaluate), with the ratio of the
// tfjs engine to the onnxruntime engine measured in the same run, and the CPU time (user + system,
// all threads; by /usr/bin/time when present) — steadier than wall time on a shared machine.
// `--no-tune` is passed on to thaw-train (keep the spec's learning and Dropout rates: the protocol
// before the experiment tuned them, for comparisons with older figures). Runs in a temporary directory.
// Usage: node bench/experiment-time.mjs [--movielens] [--engines onnxruntime,tfjs] [--no-tune]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const movielensDir = fileURLToPath(new URL('../../../../shared/data/movielens-latest-small', import.meta.url));
const args = process.argv.slice(2);
const engines = (args.includes('--engines') ? (args[args.indexOf('--engines') + 1] ?? '') : 'onnxruntime,tfjs').split(',');
const extra = args.includes('--no-tune') ? ['--no-tune'] : [];
const timeBin = '/usr/bin/time';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');

/** Seconds the trainer logged for each phase ("train baseline seed 1 done: … in 1m56s"). */
function phases(log) {
  const out = { train: 0, calibrate: 0, evaluate: 0 };
  for (const m of log.matchAll(/^(train|calibrate|evaluate) .* done: .* in (?:(\d+)m)?(\d+)s/gm)) {
    out[m[1]] += Number(m[2] ?? 0) * 60 + Number(m[3]);
  }
  return out;
}

function runExperiment(label, cliArgs) {
  const out = mkdtempSync(join(tmpdir(), 'thaw-bench-'));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const command = [process.execPath, cli, 'experiment', ...cliArgs, ...extra, '--out', out];
    const child = existsSync(timeBin)
      ? spawn(timeBin, ['-f', 'bench-cpu-seconds %U %S', ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => {
      log += d;
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      rmSync(out, { recursive: true, force: true });
      if (code !== 0) {
        reject(new Error(`${label}: thaw-train exited ${code}: ${log.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const cpu = log.match(/^bench-cpu-seconds ([\d.]+) ([\d.]+)$/m);
      resolve({ label, seconds, log, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined });
    });
  });
}

async function timed(label, cliArgs) {
  const r = await runExperiment(label, cliArgs);
  const p = phases(r.log);
  console.log(
    `${label}: ${r.seconds.toFixed(0)} s wall, ${r.cpuSeconds?.toFixed(0) ?? '?'} s CPU (train ${p.train} s, calibrate ${p.calibrate} s, evaluate ${p.evaluate} s as logged); load ${load()}`,
  );
  return r;
}

function ratio(label, tfjs, onnx) {
  const cpu = tfjs.cpuSeconds && onnx.cpuSeconds ? `, CPU time ${(tfjs.cpuSeconds / onnx.cpuSeconds).toFixed(2)}×` : '';
  console.log(`ratio ${label} tfjs / onnxruntime (same run): wall time ${(tfjs.seconds / onnx.seconds).toFixed(2)}×${cpu}`);
}

export async function benchExperimentTime() {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the trainer first (npm run build)`);
  console.log(`load average at start: ${load()} (shared machine: compare ratios from one run only)`);
  const demo = {};
  for (const engine of engines)
    demo[engine] = await timed(`sim:demo experiment, --engine ${engine}`, ['--data', 'sim:demo', '--engine', engine]);
  if (demo.onnxruntime && demo.tfjs) {
    ratio('sim:demo', demo.tfjs, demo.onnxruntime);
  }
  if (args.includes('--movielens')) {
    if (!existsSync(movielensDir)) {
      console.log(`MovieLens skipped: ${movielensDir} not found`);
      return;
    }
    const ml = {};
    for (const engine of engines) {
      ml[engine] = await timed(`MovieLens baseline,all × 2 seeds, --engine ${engine}`, [
        '--data',
        `movielens:${movielensDir}`,
        '--variants',
        'baseline,all',
        '--seeds',
        '2',
        '--engine',
        engine,
      ]);
    }
    if (ml.onnxruntime && ml.tfjs) {
      ratio('MovieLens', ml.tfjs, ml.onnxruntime);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExperimentTime();

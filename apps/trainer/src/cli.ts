#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { evaluateCommand } from './commands/evaluate.js';
import { experimentCommand } from './commands/experiment.js';
import { exportCommand } from './commands/export.js';
import { simulateAbCommand } from './commands/simulate-ab.js';
import { specCommand } from './commands/spec.js';
import { trainCommand } from './commands/train.js';
import { SOURCE_FORMS } from './data-source.js';
import { UsageError } from './usage-error.js';
import { PAPER_VARIANTS } from './variants.js';

/** The version of this thaw-train, from its package.json (beside dist/). */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('thaw-train')
  .version(`thaw-train ${version}`, '-V, --version', 'print the version of thaw-train')
  .description('Train, compare, analyse and export cold-start ranking models (Warmer for Less) on TensorFlow.js.')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const dataHelp = `data source: ${SOURCE_FORMS.join(' | ')}`;
const common = (command: Command) =>
  command
    .option('--quiet', 'print only warnings and the final result')
    .option('--json', 'log JSON lines (stderr) and print the result as JSON (stdout)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['auto', 'wasm', 'cpu', 'tensorflow']).default('auto'))
    .addOption(
      new Option('--engine <name>', 'training engine: onnxruntime (fast, when installed), tfjs, or auto')
        .choices(['auto', 'onnxruntime', 'tfjs'])
        .default('auto'),
    );

common(
  program
    .command('experiment')
    .description("train the paper's comparison set (Table 1) on one dataset, evaluate, analyse and write the report")
    .requiredOption('--data <source>', dataHelp)
    .requiredOption('--out <dir>', 'output directory (results.json, report.html, report.md, model/, runs/)')
    .option('--spec <file|name>', 'model spec JSON file or built-in example (default: the data source’s spec)')
    .option('--preset <name>', 'simulator preset when --data is sim: tiny, demo, paper')
    .option('--variants <list>', `comma-separated variants (default: ${PAPER_VARIANTS.join(',')})`)
    .option('--seeds <n>', 'training seeds per variant (default 5; the sim presets use fewer and say so)')
    .option('--bootstrap <n>', 'bootstrap replicates for the lift intervals (default 1000)')
    .option('--serve-variant <name>', 'variant exported to <out>/model for thaw-serve (default: all)')
    .option('--mapping <file>', 'column mapping JSON for csv:/parquet: data')
    .option('--resume', 'continue a killed run in --out from its checkpoints')
    .option('--no-tune', 'keep the spec’s learning rate and Dropout rate instead of tuning them on the calibration window'),
).action(experimentCommand);

common(
  program
    .command('train')
    .description('train one model, calibrate it, evaluate it and write its artifacts (spec, weights, model.onnx, items table)')
    .requiredOption('--data <source>', dataHelp)
    .requiredOption('--out <dir>', 'artifacts directory')
    .option('--spec <file|name>', 'model spec JSON file or built-in example (default: the data source’s spec)')
    .option('--variant <name>', 'baseline, dropout, aldi, residual, scorereg, mixup, any +-joined combination, or all', 'all')
    .option('--seed <n>', 'training seed', '1')
    .option('--checkpoint-every <steps>', 'steps between checkpoints', '100')
    .option('--mapping <file>', 'column mapping JSON for csv:/parquet: data')
    .option('--resume', 'continue a killed run in --out from its last checkpoint'),
).action(trainCommand);

common(
  program
    .command('evaluate')
    .description('evaluate a trained artifacts directory on the evaluation window of a data source')
    .requiredOption('--model <dir>', 'artifacts directory written by train or experiment (e.g. runs/demo/model)')
    .requiredOption('--data <source>', dataHelp)
    .option('--mapping <file>', 'column mapping JSON for csv:/parquet: data')
    .option('--predictions <file>', 'also write every evaluation row’s request, item and score (JSON)'),
).action(evaluateCommand);

common(
  program
    .command('export')
    .description('write model.onnx (opset 17, IR 8) from an artifacts directory’s spec, weights and calibration')
    .requiredOption('--model <dir>', 'artifacts directory')
    .option('--output <file>', 'where to write (default <model>/model.onnx)'),
).action(exportCommand);

common(
  program
    .command('simulate-ab')
    .description(
      'online A/B test in simulation (Tables 2, 3, 5): each arm a full rollout of its own copy of the world, common random numbers, replicated worlds',
    )
    .requiredOption('--out <dir>', 'output directory (ab.json, ab.html, ab.md, world-*/)')
    .option('--arms <list>', 'comma-separated variants, the first is the control', 'baseline,all')
    .option('--preset <name>', 'size: tiny (tests), demo (< 10 min)', 'demo')
    .option('--days <n>', 'A/B days (demo 30; run past 28 so fresh items age out)')
    .option('--worlds <n>', 'replicated worlds, the unit of noise (demo 4)')
    .option('--requests-per-day <n>', 'mean A/B requests per day (demo 100)')
    .option('--candidates <n>', 'candidates ranked per request, the feed length (demo 100)')
    .option('--retrain-every <days>', 'fine-tune every arm on its own log every this many days (0 = never; demo 10)')
    .option('--train-window <days>', 'days of its own log a fine-tune uses, the last calibrates (demo 7)')
    .option('--no-aa', 'leave out the A/A arm (the control recipe with another training seed)')
    .option('--no-boost', 'leave out the fresh-boost arm (the control plus a constant cold-logit boost)')
    .option('--boost-target <arm>', 'the treatment whose fresh impression share the boost matches (default: the first)')
    .option(
      '--boost-match <how>',
      'daily: re-match the boost every day to the target’s fresh share; pilot: the day-0 boost throughout',
      'daily',
    )
    .option('--bootstrap <n>', 'world-bootstrap replicates shown beside the t intervals (default 2000)')
    .option('--resume', 'continue a killed run in --out (per simulated day)'),
).action(simulateAbCommand);

program
  .command('spec')
  .description('validate a model spec and print its dimensions and parameter counts')
  .option('--spec <file|name>', 'spec JSON file, or a built-in example: demo, ref-m', 'demo')
  .option('--json', 'print JSON instead of text')
  .action(specCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (UsageError.isInstance(error)) {
    process.stderr.write(`thaw-train: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`thaw-train: ${(error as Error).message}\n`);
    if (process.env.THAW_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  }
}

#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { specCommand } from './commands/spec.js';

const program = new Command()
  .name('thaw-train')
  .description('Train, compare, analyse and export cold-start ranking models (Warmer for Less) on TensorFlow.js.')
  .exitOverride()
  .showHelpAfterError();

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
  } else {
    process.stderr.write(`thaw-train: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';

// Only commander loads to parse the arguments (and answer --help): each command imports the server,
// the engine and their dependencies when it runs.

const positiveInteger = (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1 || number > 1024) throw new InvalidArgumentError('must be a whole number from 1 to 1024');
  return number;
};

const changeDeployment = 'record this process\'s queue, conversation store and image storage as the deployment\'s (stop every other process first); without it, a process set up unlike the others on DARKROOM_DATABASE_URL is refused';

const program = new Command()
  .name('darkroom')
  .description('Darkroom: the AI photo-studio engine as an HTTP server and as job workers')
  .showHelpAfterError('(darkroom --help lists the commands and their options)')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('serve')
  .description('Serve the HTTP API (and run jobs in this process unless --api-only)')
  .option('--config <file>', 'a JSON file of settings named like the environment variables (the environment wins)')
  .option('--api-only', 'run no jobs here: workers (`darkroom worker`) on the same database run them', false)
  .option('--change-deployment', changeDeployment, false)
  .action(async (options: { config?: string; apiOnly: boolean; changeDeployment: boolean }) => {
    const { runServe } = await import('./commands/run-serve.js');
    await runServe({ ...(options.config ? { configFile: options.config } : {}), apiOnly: options.apiOnly, changeDeployment: options.changeDeployment });
  });

program
  .command('worker')
  .description('Run jobs only, no HTTP: one of the workers of API servers that share DARKROOM_DATABASE_URL (and DARKROOM_REDIS_URL)')
  .option('--config <file>', 'a JSON file of settings named like the environment variables (the environment wins)')
  .option('--concurrency <n>', 'jobs this worker runs at once', positiveInteger, 4)
  .option('--change-deployment', changeDeployment, false)
  .action(async (options: { config?: string; concurrency: number; changeDeployment: boolean }) => {
    const { runWorker } = await import('./commands/run-worker.js');
    await runWorker({ ...(options.config ? { configFile: options.config } : {}), concurrency: options.concurrency, changeDeployment: options.changeDeployment });
  });

// `darkroom` alone (or with options only) serves, as `darkroom serve` does; an unknown command is an error.
const [command] = process.argv.slice(2);
const argv = command === undefined || command.startsWith('-') && command !== '-h' && command !== '--help' ? [...process.argv.slice(0, 2), 'serve', ...process.argv.slice(2)] : process.argv;

program.parseAsync(argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

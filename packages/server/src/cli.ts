#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { describeCliError } from './commands/describe-cli-error.js';

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
  .description('Darkroom: the AI photo-studio engine as an HTTP server, job workers, a command line and an MCP server')
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

/** --url, --api-key and --config: where a command runs (a server, else the embedded engine). */
function connectable(command: Command): Command {
  return command
    .addOption(new Option('--url <base>', 'run on the Darkroom server at this base URL (e.g. http://127.0.0.1:9999) instead of the embedded engine').env('DARKROOM_URL'))
    .addOption(new Option('--api-key <key>', 'the server\'s API key (with --url)').env('DARKROOM_API_KEY'))
    .option('--config <file>', 'settings of the embedded engine, as for darkroom serve (default: DARKROOM_* variables; data under DARKROOM_DATA_DIR, ./data)');
}

const embeddedNote = `
Without --url, it runs on the embedded engine darkroom serve would make here: SQLite and image
files under DARKROOM_DATA_DIR (./data), jobs in this process, no keys needed.`;

/** A page size from 1 to `most`. */
const limit = (most: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1 || number > most) throw new InvalidArgumentError(`must be a whole number from 1 to ${most}`);
  return number;
};

connectable(
  program
    .command('run')
    .description('Run a feature on an image (or, for generate, a prompt) and write the result')
    .argument('<feature>', 'the feature: upscale, remove-background, generate, … (darkroom features lists them)')
    .argument('[input-and-options...]', 'the image (a file, URL or asset id) or the prompt, then the feature\'s options as --name value')
    .option('-o, --output <file>', 'where to write the image (its extension picks the format); default <asset id>.<ext> here')
    .option('--json', 'print the result as JSON (the API\'s FeatureResult)', false)
    .allowUnknownOption()
    .addHelpText('after', `
Examples:
  darkroom run upscale photo.jpg --scale 4 -o big.png
  darkroom run remove-background photo.jpg -o cutout.png
  darkroom run generate "a lighthouse at dusk" --width 768 --height 512 -o lighthouse.jpg
Each feature's options: darkroom features <feature>. A progress bar shows on standard error; Ctrl-C cancels the job.${embeddedNote}`),
).action(async (feature: string, words: string[], options: { output?: string; json: boolean; url?: string; apiKey?: string; config?: string }) => {
  const { runFeatureCommand } = await import('./commands/run-feature-command.js');
  await runFeatureCommand({ ...options, feature, words });
});

connectable(
  program
    .command('features')
    .description('List the features (plugins included) and the options darkroom run takes for each')
    .argument('[feature]', 'one feature only')
    .option('--json', 'print each feature\'s input JSON schema', false),
).action(async (feature: string | undefined, options: { json: boolean; url?: string; apiKey?: string; config?: string }) => {
  const { listFeaturesCommand } = await import('./commands/list-features-command.js');
  await listFeaturesCommand({ ...options, ...(feature ? { feature } : {}) });
});

connectable(
  program
    .command('chat')
    .description('Send a chat message ("make a sunset, then upscale it"), print the reply and save its images')
    .argument('<message...>', 'the message (English or Vietnamese)')
    .option('--session <id>', 'continue this session ("it" is its latest image)')
    .option('--image <file>', 'an image sent with the message (a file, URL or asset id)')
    .option('--mask <file>', 'a mask for object removal (white where to act)')
    .option('--output-dir <dir>', 'where to write the reply\'s images (default: here)')
    .option('--json', 'print the session id and the reply as JSON (the API\'s Message)', false)
    .addHelpText('after', `
Examples:
  darkroom chat "create a sunset over mountains"
  darkroom chat --session ses_… "now upscale it 2x"
  darkroom chat --image photo.jpg "xóa nền ảnh này"${embeddedNote}`),
).action(async (words: string[], options: { session?: string; image?: string; mask?: string; outputDir?: string; json: boolean; url?: string; apiKey?: string; config?: string }) => {
  const { chatCommand } = await import('./commands/chat-command.js');
  await chatCommand({ ...options, message: words.join(' ') });
});

connectable(
  program
    .command('jobs')
    .description('List jobs, show one (darkroom jobs <id>) or cancel one (darkroom jobs cancel <id>)')
    .argument('[cancel-or-id...]', 'nothing (the list), a job id, or cancel and a job id')
    .option('--limit <n>', 'how many jobs to list (1..100)', limit(100))
    .option('--json', 'print the API\'s Job shapes', false),
).action(async (words: string[], options: { limit?: number; json: boolean; url?: string; apiKey?: string; config?: string }) => {
  const { jobsCommand } = await import('./commands/jobs-command.js');
  await jobsCommand({ ...options, words });
});

connectable(
  program
    .command('gallery')
    .description('List images (--deleted: the deleted ones), delete one (gallery delete <id>) or restore one (gallery restore <id>)')
    .argument('[action-and-id...]', 'nothing (the list), delete <id> or restore <id>')
    .option('--deleted', 'list the soft-deleted images', false)
    .option('--permanent', 'with delete: delete for good (no restore)', false)
    .option('--limit <n>', 'how many images to list (1..200)', limit(200))
    .option('--json', 'print the API\'s GalleryItem shapes', false),
).action(async (words: string[], options: { deleted: boolean; permanent: boolean; limit?: number; json: boolean; url?: string; apiKey?: string; config?: string }) => {
  const { galleryCommand } = await import('./commands/gallery-command.js');
  await galleryCommand({ ...options, words });
});

const port = (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return number;
};

connectable(
  program
    .command('mcp')
    .description('Serve every feature as a Model Context Protocol tool, over stdio (default) or streamable HTTP (--http)')
    .option('--http', 'serve streamable HTTP at http://<host>:<port>/mcp instead of stdio', false)
    .option('--port <n>', 'the HTTP port (0: any free one)', port, 3333)
    .option('--host <host>', 'the HTTP address (loopback only: the tools read local files)', '127.0.0.1')
    .addHelpText('after', `
A client config (Claude Desktop, Cursor, …):  { "command": "npx", "args": ["darkroom", "mcp"] }
Image fields take a file path, an http(s) URL, an asset id or a data URI; results come back as images.${embeddedNote}`),
).action(async (options: { http: boolean; port: number; host: string; url?: string; apiKey?: string; config?: string }) => {
  const { mcpCommand } = await import('./commands/mcp-command.js');
  await mcpCommand(options);
});

// `darkroom` alone (or with options only) serves, as `darkroom serve` does; an unknown command is an error.
const [command] = process.argv.slice(2);
const argv = command === undefined || command.startsWith('-') && command !== '-h' && command !== '--help' ? [...process.argv.slice(0, 2), 'serve', ...process.argv.slice(2)] : process.argv;

// A command's error: its message (and code) without a stack, exit 1 (130 when Ctrl-C cancelled the job).
program.parseAsync(argv).catch((error: unknown) => {
  process.stderr.write(`${describeCliError(error)}\n`);
  const exitCode = (error as { exitCode?: unknown } | null)?.exitCode;
  process.exit(typeof exitCode === 'number' ? exitCode : 1);
});

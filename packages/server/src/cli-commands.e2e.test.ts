import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { startDarkroomProcess } from './testing/darkroom-process.js';
import { fixtures } from './testing/test-server.js';

// Each command runs as a user would run it: a process in a working folder of its own, on the
// embedded engine under a temporary data directory shared by the commands of this file.
const work = mkdtempSync(join(tmpdir(), 'darkroom-cli-commands-'));
const dataDir = join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const chelsea = join(fixtures, 'chelsea.png');

async function darkroom(...args: string[]) {
  return darkroomWith({}, ...args);
}

async function darkroomWith(env: Record<string, string>, ...args: string[]) {
  const command = startDarkroomProcess(args.join(' '), args, { DARKROOM_DATA_DIR: dataDir, ...env }, { cwd: work });
  const { code } = await command.exited;
  return { code, ...command.output() };
}

/** No stack trace, no internal error name: what a user reads. */
const clean = (stderr: string) => !/\n\s+at |TypeError|ZodError|node:internal/.test(stderr);

describe('darkroom command line: help', () => {
  it('lists the commands, and help <command> shows its usage and examples', { timeout: 60_000 }, async () => {
    const [help, run, mcp] = await Promise.all([darkroom('--help'), darkroom('help', 'run'), darkroom('help', 'mcp')]);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'worker', 'run', 'features', 'chat', 'jobs', 'gallery', 'mcp']) expect(help.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/Usage: darkroom run \[options\] <feature>[\s\S]*-o, --output <file>[\s\S]*--url <base>[\s\S]*darkroom run upscale photo\.jpg --scale 4 -o big\.png/) });
    expect(mcp).toMatchObject({ code: 0, stdout: expect.stringMatching(/--http[\s\S]*--port <n>/) });
  });
});

describe('darkroom run and features (embedded engine)', () => {
  it('runs a feature on a photo with options, writes the image in the format the file name asks for, and reports progress on stderr', { timeout: 60_000 }, async () => {
    const result = await darkroom('run', 'upscale', chelsea, '--scale', '4', '--sharpen', '-o', 'big.jpg');
    expect(result.code, result.stderr).toBe(0);
    const metadata = await sharp(join(work, 'big.jpg')).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 1804, 1200]);
    expect(result.stdout).toMatch(new RegExp(`${join(work, 'big.jpg')}  1804×1200 image/jpeg  gallery img_\\w+  /v1/assets/ast_\\w+`));
    expect(result.stderr).toMatch(/upscale: 0% \(run:upscale\)[\s\S]*upscale: 100% \(done\)/);
    expect(result.stderr).toMatch(/upscale on local \(\w+\): job job_\w+/);
  });

  it('takes the prompt of a feature without an image, and --json prints the API\'s result', { timeout: 60_000 }, async () => {
    const result = await darkroom('run', 'generate', 'a lighthouse at dusk', '--width', '128', '--height', '96', '--num-images', '2', '--json', '-o', 'lighthouse.png');
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { feature: string; job_id: string; images: Array<{ width: number; height: number; mime_type: string }>; files: string[] };
    const image = { width: 128, height: 96, mime_type: 'image/png' };
    // A second image goes beside the first, numbered.
    expect(printed).toMatchObject({ feature: 'generate', job_id: expect.stringMatching(/^job_/), images: [image, image], files: [join(work, 'lighthouse.png'), join(work, 'lighthouse-2.png')] });
    for (const file of printed.files) expect((await sharp(file).metadata()).width).toBe(128);
  });

  it('refuses an unknown option with the feature\'s options, a bad value with the schema\'s message, an unknown feature with the features, a missing file by its path: exit 1, no stack', { timeout: 60_000 }, async () => {
    const [option, value, feature, file, extra] = await Promise.all([
      darkroom('run', 'upscale', chelsea, '--scael', '4'),
      darkroom('run', 'upscale', chelsea, '--scale', '3'),
      darkroom('run', 'upscal', chelsea),
      darkroom('run', 'upscale', 'no-such-photo.png'),
      darkroom('run', 'upscale', chelsea, 'and', 'more'),
    ]);
    expect(option).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(invalid_input\): upscale has no option --scael\. upscale's options: --image, --scale, --sharpen, --format/) });
    expect(value).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(invalid_input\): .*scale must be 2 or 4/) });
    expect(feature).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(not_found\): No feature "upscal"; features: generate, upscale, remove-background, relight, style-transfer, reimagine, expand, object-removal, enhance/) });
    expect(file).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(invalid_input\): image: names no file \(.*no-such-photo\.png\); give a file path, an http\(s\) URL, an asset id/) });
    expect(extra).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(invalid_input\): Unexpected "and" "more": upscale takes one image/) });
    for (const { stderr } of [option, value, feature, file, extra]) expect(clean(stderr), stderr).toBe(true);
    expect(readdirSync(work).filter((name) => name.startsWith('ast_'))).toEqual([]);
  });

  it('Ctrl-C (SIGINT) cancels the running job and exits 130', { timeout: 60_000 }, async () => {
    // The test plugin's slow provider holds the upscale for a minute, so the signal lands mid-step.
    const slow = { DARKROOM_PLUGINS: join(import.meta.dirname, 'testing/distributed-test-plugin.ts'), DARKROOM_ROUTING: 'upscale=slow-local', DARKROOM_TEST_PROVIDER_DELAY_MS: '60000' };
    const command = startDarkroomProcess('run', ['run', 'upscale', chelsea, '-o', 'never.png'], { DARKROOM_DATA_DIR: dataDir, ...slow }, { cwd: work });
    await expect.poll(() => command.output().stderr, { timeout: 30_000 }).toMatch(/upscale: 0% \(run:upscale\)/);
    command.child.kill('SIGINT');
    const { code } = await command.exited;
    const { stderr } = command.output();
    expect(code, stderr).toBe(130);
    const jobId = /^Error \(cancelled\): Cancelled: job (job_\w+) is cancelled$/m.exec(stderr)?.[1];
    expect(jobId, stderr).toBeDefined();
    expect(existsSync(join(work, 'never.png'))).toBe(false);
    expect((await darkroom('jobs', jobId!)).stdout).toMatch(new RegExp(`^${jobId}  feature  cancelled`));
  });

  it('lists every feature with its options, and one feature\'s input JSON schema', { timeout: 60_000 }, async () => {
    const [all, one] = await Promise.all([darkroom('features'), darkroom('features', 'relight', '--json')]);
    expect(all.code).toBe(0);
    for (const id of ['generate', 'upscale', 'remove-background', 'relight', 'style-transfer', 'reimagine', 'expand', 'object-removal', 'enhance']) expect(all.stdout).toMatch(new RegExp(`^${id}: `, 'm'));
    expect(all.stdout).toMatch(/darkroom run upscale <image> \[options\] -o out\.png\n {4}--image <file\|url\|asset-id>  \(required\)[\s\S]*--scale <2\|4> \(default 2\)/);
    expect(all.stdout).toMatch(/darkroom run generate "<prompt>"[\s\S]*--negative-prompt <text>/);
    const [relight] = JSON.parse(one.stdout) as Array<{ id: string; image_fields: string[]; input_schema: { properties: Record<string, unknown>; required: string[] } }>;
    expect(relight).toMatchObject({ id: 'relight', image_fields: ['image'], input_schema: { required: expect.arrayContaining(['image']) } });
  });
});

describe('darkroom chat, gallery and jobs (embedded engine)', () => {
  it('chats (with an image too), continues the session about "it", and saves the images; the gallery lists, deletes and restores them; jobs shows and cancels', { timeout: 240_000 }, async () => {
    const created = await darkroom('chat', 'create a sunset over mountains', '--output-dir', 'chat');
    expect(created.code, created.stderr).toBe(0);
    const session = /session (ses_\w+) \(continue it with --session ses_\w+\)/.exec(created.stderr)?.[1];
    expect(session).toBeDefined();
    expect(created.stdout).toMatch(/^Done: generate\./m);
    const made = /^(\/\S+\.png)  generate  1024×1024  gallery (img_\w+)$/m.exec(created.stdout);
    expect(made, created.stdout).not.toBeNull();
    expect(made![1]!.startsWith(join(work, 'chat/ast_'))).toBe(true);
    expect(existsSync(made![1]!)).toBe(true);

    const upscaled = await darkroom('chat', '--session', session!, 'upscale it 2x', '--json');
    expect(upscaled.code, upscaled.stderr).toBe(0);
    const reply = JSON.parse(upscaled.stdout) as { session_id: string; message: { status: string; job_id: string; images: Array<{ feature: string; width: number }> }; files: string[] };
    expect(reply).toMatchObject({ session_id: session, message: { status: 'DONE', images: [{ feature: 'upscale', width: 2048 }] } });
    expect((await sharp(reply.files[0]!).metadata()).width).toBe(2048);

    // An image sent with the message becomes "this".
    const withImage = await darkroom('chat', '--image', chelsea, 'upscale this 2x');
    expect(withImage.code, withImage.stderr).toBe(0);
    expect(withImage.stdout).toMatch(/^\/\S+\.png  upscale  902×600  gallery img_\w+$/m);

    const gallery = await darkroom('gallery');
    expect(gallery.stdout).toMatch(new RegExp(`^${made![2]}  generate  chat `, 'm'));
    expect(await darkroom('gallery', 'delete', made![2]!)).toMatchObject({ code: 0, stdout: expect.stringMatching(/Deleted \(darkroom gallery restore brings it back\)/) });
    expect((await darkroom('gallery')).stdout).not.toContain(made![2]);
    expect((await darkroom('gallery', '--deleted')).stdout).toMatch(new RegExp(`^${made![2]}  generate  chat .*\\(deleted\\)`, 'm'));
    expect(await darkroom('gallery', 'restore', made![2]!)).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`Restored: ${made![2]}`)) });
    expect(await darkroom('gallery', 'restore', 'img_nope')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(not_found\): Gallery image "img_nope" was not found/) });
    expect(await darkroom('gallery', 'remove', made![2]!)).toMatchObject({ code: 1, stderr: expect.stringMatching(/Write darkroom gallery \[--deleted\], darkroom gallery delete <id>/) });

    const listed = await darkroom('jobs', '--limit', '2');
    // Newest first: the turn with the image, then the reply above.
    expect(listed).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^ID +KIND +STATE +PROGRESS +CREATED\njob_\\w+  chat +succeeded  100% .*\n${reply.message.job_id}  chat +succeeded  100% .*\n$`)) });
    const job = await darkroom('jobs', reply.message.job_id);
    expect(job).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${reply.message.job_id}  chat  succeeded  100%[\\s\\S]*step reply: succeeded`)) });
    // Cancelling a job that ended keeps its end.
    expect(await darkroom('jobs', 'cancel', reply.message.job_id)).toMatchObject({ code: 0, stdout: expect.stringMatching(/succeeded/) });
    expect(await darkroom('jobs', 'job_nope')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(not_found\): Job "job_nope" was not found/) });
  });
});

describe('darkroom commands against a server (--url)', () => {
  it('run, jobs and gallery go to the server with its key (from DARKROOM_URL or --url); a wrong key or no server is refused saying so', { timeout: 120_000 }, async () => {
    const key = 'carol-key-0123456789abcdef';
    const server = startDarkroomProcess('serve', ['serve'], { PORT: '0', DARKROOM_DATA_DIR: join(work, 'server-data'), DARKROOM_API_KEYS: `carol:${key}` }, { cwd: work });
    try {
      const url = await server.ready;
      const remote = { DARKROOM_URL: url, DARKROOM_API_KEY: key };
      const ran = await darkroomWith(remote, 'run', 'upscale', chelsea, '--scale', '2', '-o', 'remote.png');
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(new RegExp(`remote\\.png  902×600 image/png  gallery img_\\w+  ${url}/v1/assets/ast_\\w+`));
      expect((await sharp(join(work, 'remote.png')).metadata()).width).toBe(902);
      const jobId = /job (job_\w+)/.exec(ran.stderr)![1]!;
      const [jobs, gallery, local] = await Promise.all([darkroomWith(remote, 'jobs'), darkroom('gallery', '--url', url, '--api-key', key), darkroom('jobs', jobId)]);
      expect(jobs.stdout).toMatch(new RegExp(`^${jobId}  feature upscale  succeeded  100%`, 'm'));
      expect(gallery.stdout).toMatch(/^img_\w+ +upscale +direct +local /m);
      // The job is the server's, not the embedded engine's.
      expect(local).toMatchObject({ code: 1, stderr: expect.stringMatching(/not_found/) });

      const [wrongKey, nothing] = await Promise.all([
        darkroomWith({ DARKROOM_URL: url, DARKROOM_API_KEY: 'wrong-key-0123456789abcdef' }, 'gallery'),
        darkroom('features', '--url', 'http://127.0.0.1:9/'),
      ]);
      expect(wrongKey).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(unauthorized\): /) });
      expect(nothing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error \(unavailable\): /) });
      for (const { stderr } of [wrongKey, nothing]) expect(clean(stderr), stderr).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

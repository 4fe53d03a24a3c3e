import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine, EngineOptions } from '@darkroom/core';
import { ApiKeyVerifier, createDefaultEngine, createServer, listen, parseApiKeys, type DarkroomServer } from '@darkroom/server';
import jewelry from 'darkroom-plugin-jewelry';
import poster from 'darkroom-plugin-poster';
import { createGatedProvider, sketchPlugin } from '../../server/src/testing/gated-provider.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The playground in Debian's headless Chromium against a real server (the default engine: every bundled
// feature on the local provider, plus the poster example plugin; the jewelry plugin on a server of its own), served under a base path.
const chromiumPath = '/usr/bin/chromium';
const webRoot = join(import.meta.dirname, '..');
const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/images');
const photo = join(fixtures, 'chelsea.png');
const artifacts = join(webRoot, '../../test-artifacts/playground');
const key = 'web-e2e-key-0123456789abcdef';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${chromiumPath}: install it (apt-get install -y chromium); CI runs the playground's browser tests`);

interface Running {
  engine: Engine;
  server: DarkroomServer;
  listener: Server;
  url: string;
}

let folder: string;
let dataDirs: string[] = [];
let browser: Browser;
let open: Running;
let locked: Running;
let gated: Running;
let jeweller: Running;
const gate = createGatedProvider();

async function start(options: { apiKeys?: ApiKeyVerifier; engine?: Partial<EngineOptions> }): Promise<Running> {
  const { engine: engineOptions, ...serverOptions } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-web-e2e-'));
  dataDirs.push(dataDir);
  const engine = await createDefaultEngine({ dataDir, plugins: [poster], runner: { pollMs: 20 }, ...engineOptions });
  const server = createServer({ engine, basePath: '/studio', rateLimit: false, playground: { folder }, heartbeatMs: 1000, ...serverOptions });
  const listener = await new Promise<Server>((resolve) => {
    const started: Server = listen(server.fetch, { port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  return { engine, server, listener, url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/studio/` };
}

async function stop(running: Running | undefined) {
  if (!running) return;
  running.listener.closeAllConnections();
  await new Promise((resolve) => running.listener.close(resolve));
  await running.server.close();
  await running.engine.close();
}

async function newPage(url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  (page as Page & { problems: string[] }).problems = problems;
  // Console errors too (a Content-Security-Policy refusal, a failed request), for the tests that expect none.
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  (page as Page & { consoleErrors: string[] }).consoleErrors = consoleErrors;
  await page.goto(url);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

describe.skipIf(!haveChromium)('the web playground in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // The page as `npm run build` makes it, from the current source, into a folder of this test's own.
    folder = mkdtempSync(join(tmpdir(), 'darkroom-web-dist-'));
    await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: folder, emptyOutDir: true } });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    open = await start({});
    locked = await start({ apiKeys: new ApiKeyVerifier(parseApiKeys(`ann:${key}`)) });
    // A plugin feature whose provider call waits until the test opens the gate (or the job is cancelled).
    gated = await start({ engine: { plugins: [sketchPlugin], providers: [gate.provider] } });
    // A plugin whose input has a list of objects (the design's stones).
    jeweller = await start({ engine: { plugins: [jewelry] } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stop(open);
    await stop(locked);
    await stop(gated);
    await stop(jeweller);
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('loads under the base path with one button per registered feature, plugins included; its files are cached for good', async () => {
    const page = await newPage(open.url);
    const assets: Array<{ url: string; cache: string | undefined }> = [];
    page.on('response', (response) => {
      if (response.url().includes('/assets/')) assets.push({ url: response.url(), cache: response.headers()['cache-control'] });
    });
    await page.reload();
    await page.locator('.feature-button').first().waitFor();
    const ids = await page.locator('.feature-button').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-feature')));
    expect(ids.sort()).toEqual(open.engine.features.list().map((feature) => feature.id).sort());
    expect(ids).toContain('poster');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.url).toMatch(/\/studio\/assets\//);
      expect(asset.cache).toBe('public, max-age=31536000, immutable');
    }
    await shot(page, 'home');
    // Development mode: nothing asks for a key; no script error, no refused style or script, no failed request.
    expect(await page.locator('dialog.key-dialog[open]').count()).toBe(0);
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
    expect((page as Page & { consoleErrors: string[] }).consoleErrors).toEqual([]);
    await page.close();
  });

  it('runs a chat turn in Vietnamese: the reply shows the turn\'s steps live, then its image', async () => {
    const page = await newPage(`${open.url}#chat`);
    // Every step name the page shows while the turn works.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenSteps: string[] }).seenSteps = seen;
      new MutationObserver(() => {
        for (const status of document.querySelectorAll('.message.assistant .progress span')) seen.push(status.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.fill('#chat-input', 'tạo ảnh hoàng hôn trên núi');
    await page.keyboard.press('Enter');
    await page.locator('.message.user .content', { hasText: 'tạo ảnh hoàng hôn trên núi' }).waitFor();
    const reply = page.locator('.message.assistant').last();
    await reply.locator('img.message-image').waitFor({ timeout: 60_000 });
    const size = await reply.locator('img.message-image').evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight]);
    expect(size[0]).toBeGreaterThan(0);
    const seen = await page.evaluate(() => (window as unknown as { seenSteps: string[] }).seenSteps);
    // A step's name (not just "Working…"), from the session's event stream.
    expect(seen.some((text) => /^(?!Working)\S+… \d+%$/.test(text)), seen.join(' | ')).toBe(true);
    await shot(page, 'chat-turn');

    // A photo attached to the next turn is the one it works on ("phóng to ảnh này gấp đôi" = "upscale this photo 2x").
    await page.setInputFiles('#chat-image', photo);
    await page.locator('.chip', { hasText: 'chelsea.png' }).waitFor();
    await page.fill('#chat-input', 'phóng to ảnh này gấp đôi');
    await page.click('.composer button[type=submit]');
    const upscaled = page.locator('.message.assistant', { hasText: 'upscale' }).locator('img.message-image');
    await upscaled.waitFor({ timeout: 60_000 });
    const source = await sharp(readFileSync(photo)).metadata();
    expect(await upscaled.evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight])).toEqual([source.width! * 2, source.height! * 2]);
    await shot(page, 'chat-attachment');
    await page.close();
  });

  it('runs a feature on an image picked from the gallery (sent by its asset id)', { timeout: 120_000 }, async () => {
    const page = await newPage(`${open.url}#features`);
    await page.click('[data-feature="enhance"]');
    await page.getByRole('button', { name: 'Pick from gallery' }).click();
    const picker = page.locator('dialog.picker[open]');
    await picker.locator('.thumb img').first().waitFor();
    await picker.locator('.thumb').first().click();
    await page.locator('.drop img.preview').waitFor();
    const request = page.waitForRequest((sent) => sent.url().endsWith('/studio/v1/features/enhance') && sent.method() === 'POST');
    await page.click('.feature-form button[type=submit]');
    expect(JSON.parse((await request).postData()!).image).toEqual({ asset_id: expect.stringMatching(/^ast_/) });
    await page.locator('.feature-form .result .compare img.after').waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('runs every built-in feature on a fixture photo, and the plugin\'s: a result against the input, or the server\'s clear error', { timeout: 600_000 }, async () => {
    const page = await newPage(`${open.url}#features`);
    // Object removal has its own test (a painted mask).
    const features = open.engine.features.list().filter((feature) => feature.id !== 'object-removal');
    // What the form needs beyond the photo and the defaults.
    const extra: Record<string, (page: Page) => Promise<void>> = {
      generate: (current) => current.fill('#field-prompt', 'hoàng hôn trên núi, a sunset over mountains'),
      poster: (current) => current.fill('#field-prompt', 'a lighthouse at dusk'),
      'style-transfer': (current) => current.fill('#field-style', 'pencil-sketch'),
      expand: async (current) => {
        await current.click('details.advanced summary');
        await current.selectOption('#field-aspect_ratio', '16:9');
      },
    };
    const outcomes: Record<string, string> = {};
    for (const feature of features) {
      await page.click(`[data-feature="${feature.id}"]`);
      const form = page.locator('.feature-form');
      await form.waitFor();
      if (await page.locator('#field-image').count()) await page.setInputFiles('#field-image', photo);
      await extra[feature.id]?.(page);
      await form.locator('button[type=submit]').click();
      const outcome = form.locator('.result, .run-status .error');
      await outcome.first().waitFor({ timeout: 180_000 });
      const text = (await outcome.first().textContent()) ?? '';
      outcomes[feature.id] = (await form.locator('.result').count()) ? 'result' : text;
      if (outcomes[feature.id] === 'result' && feature.id !== 'generate' && feature.id !== 'poster') {
        await form.locator('.compare img.after').waitFor();
        await form.locator('.compare img.before').waitFor();
      }
      await shot(page, `feature-${feature.id}`);
    }
    // The local provider serves all of them but reimagine, which needs a cloud provider's key.
    expect(outcomes).toEqual({
      ...Object.fromEntries(features.map((feature) => [feature.id, 'result'])),
      reimagine: expect.stringMatching(/no_provider/),
    });
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
    // The before/after split and the mask stage style elements from script, which the page's CSP allows (no inline styles).
    expect((page as Page & { consoleErrors: string[] }).consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    await page.close();
  });

  it('fills a plugin\'s list of objects (the jewelry design\'s stones): items added up to maxItems and removed, sent with their JSON types', { timeout: 120_000 }, async () => {
    const page = await newPage(`${jeweller.url}#features`);
    await page.click('[data-feature="jewelry-design"]');
    await page.selectOption('#field-piece', 'engagement-ring');
    const stones = page.getByRole('group', { name: 'Gemstones' });
    expect(await stones.locator('.hint[role=status]').textContent()).toBe('None of at most 6');
    const add = page.getByRole('button', { name: 'Add gemstone to Gemstones' });
    for (let count = 1; count <= 6; count += 1) await add.click();
    expect(await add.isDisabled()).toBe(true);
    expect(await stones.locator('.hint[role=status]').textContent()).toBe('6 of at most 6');
    for (let count = 6; count > 2; count -= 1) await page.getByRole('button', { name: `Remove gemstone ${count} from Gemstones` }).click();
    expect(await add.isDisabled()).toBe(false);
    // Each stone's fields, by the same rules as the form's: selects of enums (the stone's kind required), a text box, a slider.
    await page.getByRole('group', { name: 'Gemstone 1' }).getByLabel('Kind').selectOption('diamond');
    await page.selectOption('#field-gemstones-0-cut', 'princess');
    await page.fill('#field-gemstones-0-count', '3');
    await page.selectOption('#field-gemstones-1-kind', 'ruby');
    await page.fill('#field-gemstones-1-colour', 'pink');
    await page.selectOption('#field-gemstones-1-size', 'small');
    await shot(page, 'jewelry-gemstones');
    const request = page.waitForRequest((sent) => sent.url().endsWith('/studio/v1/features/jewelry-design') && sent.method() === 'POST');
    await page.click('.feature-form button[type=submit]');
    const body = JSON.parse((await request).postData()!);
    expect(body).toMatchObject({ piece: 'engagement-ring', gemstones: [{ kind: 'diamond', cut: 'princess', count: 3 }, { kind: 'ruby', colour: 'pink', size: 'small' }] });
    expect(body.gemstones[0]).toEqual({ kind: 'diamond', cut: 'princess', count: 3 });
    await page.locator('.feature-form .result img').first().waitFor({ timeout: 60_000 });
    await shot(page, 'jewelry-result');
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
    await page.close();
  });

  it('removes an object marked with the brush: the mask sent is a PNG of the photo\'s size, white where painted', { timeout: 180_000 }, async () => {
    const page = await newPage(`${open.url}#features`);
    await page.click('[data-feature="object-removal"]');
    await page.setInputFiles('#field-image', photo);
    const canvas = page.locator('canvas#field-mask');
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // A stroke across the middle third of the photo, at mid height.
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.down();
    for (let step = 1; step <= 10; step += 1) await page.mouse.move(box.x + box.width * (0.35 + step * 0.03), box.y + box.height * 0.5);
    await page.mouse.up();
    await page.locator('.mask-field [role=status]', { hasText: 'Mask painted' }).waitFor();
    const request = page.waitForRequest((sent) => sent.url().endsWith('/studio/v1/features/object-removal') && sent.method() === 'POST');
    await page.click('.feature-form button[type=submit]');
    const body = JSON.parse((await request).postData()!);
    const mask = Buffer.from(body.mask.replace(/^data:image\/png;base64,/, ''), 'base64');
    const { data, info } = await sharp(mask).greyscale().raw().toBuffer({ resolveWithObject: true });
    const source = await sharp(readFileSync(photo)).metadata();
    expect([info.width, info.height]).toEqual([source.width, source.height]);
    const at = (x: number, y: number) => data[Math.round(y * info.height) * info.width + Math.round(x * info.width)];
    expect(at(0.5, 0.5)).toBe(255);
    expect(at(0.1, 0.1)).toBe(0);
    expect(at(0.5, 0.9)).toBe(0);
    await page.locator('.feature-form .result').waitFor({ timeout: 120_000 });
    await shot(page, 'object-removal-painted');
    // The result saves as a PNG of the photo's size.
    const download = page.waitForEvent('download');
    await page.locator('.feature-form .result').getByRole('link', { name: 'Download' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('object-removal-1.png');
    const file = await saved.path();
    expect(await sharp(readFileSync(file)).metadata()).toMatchObject({ format: 'png', width: source.width, height: source.height });
    await page.close();
  });

  it('deletes an image from the gallery, finds it among the deleted, restores it, then deletes it for good', { timeout: 120_000 }, async () => {
    const page = await newPage(`${open.url}#gallery`);
    const pane = page.locator('.pane-gallery');
    await pane.locator('.thumb').first().waitFor();
    const before = await pane.locator('.thumbs li').count();
    const id = (await pane.locator('.thumbs li').first().getAttribute('data-gallery-id'))!;
    await pane.locator('.thumb').first().click();
    const details = page.locator('dialog.details-dialog');
    await details.locator('dd', { hasText: 'local' }).first().waitFor();
    await shot(page, 'gallery-details');
    await details.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => pane.locator('.thumbs li').count()).toBe(before - 1);
    expect((await open.engine.gallery.listDeleted('local', {})).items.map((item) => item.id)).toContain(id);

    await pane.getByRole('button', { name: 'Deleted' }).click();
    await pane.locator(`[data-gallery-id="${id}"] .thumb`).click();
    await details.getByRole('button', { name: 'Restore' }).click();
    await pane.getByRole('button', { name: 'Images' }).click();
    await pane.locator(`[data-gallery-id="${id}"]`).waitFor();
    expect((await open.engine.gallery.get('local', id)).deletedAt).toBeNull();

    await pane.locator(`[data-gallery-id="${id}"] .thumb`).click();
    await details.getByRole('button', { name: 'Delete', exact: true }).click();
    await pane.getByRole('button', { name: 'Deleted' }).click();
    await pane.locator(`[data-gallery-id="${id}"] .thumb`).click();
    await details.getByRole('button', { name: 'Delete permanently…' }).click();
    await details.getByRole('button', { name: 'Yes, delete for good' }).click();
    await expect.poll(() => pane.locator(`[data-gallery-id="${id}"]`).count()).toBe(0);
    await expect(open.engine.gallery.get('local', id)).rejects.toMatchObject({ code: 'not_found' });
    await shot(page, 'gallery-after-delete');
    await page.close();
  });

  it('filters the gallery by source', async () => {
    const page = await newPage(`${open.url}#gallery`);
    const pane = page.locator('.pane-gallery');
    await pane.locator('.thumb').first().waitFor();
    await pane.locator('select').selectOption('chat');
    await expect.poll(async () => (await pane.locator('.thumb').evaluateAll((thumbs) => thumbs.map((thumb) => thumb.getAttribute('aria-label')))).every((label) => label?.includes(', chat,'))).toBe(true);
    expect(await pane.locator('.thumb').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows a running job\'s progress and cancels it, which aborts its provider call', { timeout: 60_000 }, async () => {
    const page = await newPage(`${gated.url}#features`);
    await page.click('[data-feature="sketch"]');
    await page.fill('#field-prompt', 'a boat at dawn');
    const submitted = page.waitForResponse((response) => response.url().endsWith('/studio/v1/features/sketch') && response.request().method() === 'POST');
    await page.click('.feature-form button[type=submit]');
    const accepted = await submitted;
    expect(accepted.status()).toBe(202);
    const { job_id: jobId } = await accepted.json();
    // The feature's own progress report, normalised into the job's percent.
    await page.locator('.feature-form .progress', { hasText: /Running… [1-9]\d*%/ }).waitFor();
    await gate.started();
    await shot(page, 'job-running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.feature-form [role=status]', { hasText: 'Cancelled' }).waitFor();
    await expect.poll(() => gate.calls.aborted).toBe(1);
    await expect.poll(async () => (await gated.engine.jobs.get('local', jobId)).state).toBe('cancelled');
    await page.close();
  });

  it('asks for an API key when the server has keys, refuses a wrong one, keeps the right one for the tab', async () => {
    const page = await newPage(locked.url);
    const dialog = page.locator('dialog.key-dialog[open]');
    await dialog.waitFor();
    await shot(page, 'api-key-prompt');
    await page.fill('#api-key', 'not-the-key');
    await page.keyboard.press('Enter');
    await dialog.locator('p', { hasText: 'The server refused the key' }).waitFor();
    await page.fill('#api-key', key);
    await page.keyboard.press('Enter');
    await page.locator('.feature-button').first().waitFor();
    expect(await page.locator('dialog.key-dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('darkroom.apiKey'))).toBe(key);
    await page.reload();
    await page.locator('.feature-button').first().waitFor();
    expect(await page.locator('dialog.key-dialog[open]').count()).toBe(0);
    await page.close();
  });

  it('is usable from the keyboard alone and fits a phone screen', async () => {
    const page = await newPage(`${open.url}#features`, { width: 390, height: 844 });
    await page.locator('.feature-button').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.locator('.feature-button').first().focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.feature-form').waitFor();
    expect(await page.evaluate(() => document.activeElement?.matches(':focus-visible'))).toBe(true);
    await shot(page, 'phone-features');
    await page.click('.tab-chat');
    await page.locator('#chat-input').waitFor();
    await shot(page, 'phone-chat');
    await page.close();
  });
});

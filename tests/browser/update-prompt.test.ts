import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './chromium';

let browser: Browser;
let server: ChildProcess | undefined;
let url = '';
let copy = '';

// A server of our own on a hard-linked copy of the build, so the test can publish a "new version"
// by replacing sw.js without touching the build other tests use.
beforeAll(async () => {
  const dist = process.env.CLIENTELE_DIST ?? 'dist';
  copy = join(mkdtempSync(join(tmpdir(), 'clientele-update-')), 'dist');
  expect(spawnSync('cp', ['-al', dist, copy]).status).toBe(0);
  const port = 5800 + Math.floor(Math.random() * 400);
  url = `http://localhost:${port}/`;
  server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--dir', copy], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on('data', (c: Buffer) => c.toString().includes('running at') && resolve());
    server!.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  browser = await launch();
});

afterAll(async () => {
  server?.kill();
  await browser?.close();
  if (copy) rmSync(join(copy, '..'), { recursive: true, force: true });
});

describe('a new version of the app', () => {
  it('waits behind an update prompt, keeps the open session, and takes over on "Reload to update"', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('status', { name: 'Offline status' }).filter({ hasText: 'Available offline' }).waitFor({ timeout: 120_000 });
    await page.getByLabel('Open files').setInputFiles([{ name: 'session.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') }]);
    const sessionTable = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^session / });
    await sessionTable.waitFor({ timeout: 30_000 });

    // Publish new service-worker bytes (a new file, not an edit: the copy shares inodes with the build).
    const sw = join(copy, 'sw.js');
    const original = readFileSync(sw, 'utf8');
    unlinkSync(sw);
    writeFileSync(sw, `${original}\n// update-prompt test: a new version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());

    const prompt = page.getByRole('alert', { name: 'Update available' });
    await prompt.waitFor({ timeout: 60_000 });
    // The open session is untouched while the new version waits.
    expect(await sessionTable.count()).toBe(1);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null)).toBe(true);

    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), prompt.getByRole('button', { name: 'Reload to update' }).click()]);
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
    const after = await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: reg.waiting !== null, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(after).toEqual({ waiting: false, controlled: true });
    expect(await prompt.count()).toBe(0);
    await context.close();
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './chromium';

let browser: Browser;
let server: ChildProcess | undefined;
let url = '';
/** The build under test (see global-setup.ts). */
const DIST = process.env.CLIENTELE_DIST ?? 'dist';

/** A server of our own for this file, so the test can take the network away by stopping it. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--dir', DIST], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('running at') && resolve());
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return child;
}

beforeAll(async () => {
  const port = 5400 + Math.floor(Math.random() * 400);
  url = `http://localhost:${port}/`;
  server = await startServer(port);
  browser = await launch();
});

afterAll(async () => {
  server?.kill();
  await browser?.close();
});

describe('the installed app, offline', () => {
  it('is installable and, after one online visit, runs with the server gone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.display).toBe('standalone');
    // Precaching ~120 MB (three DuckDB builds, parquet-wasm) from localhost.
    await page.getByRole('status', { name: 'Offline status' }).filter({ hasText: 'Available offline' }).waitFor({ timeout: 120_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith('clientele-'))!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    // Every file of the build is cached, the wasm binaries (DuckDB's three builds, parquet-wasm,
    // tfjs's) above all.
    const built = readdirSync(`${DIST}/assets`).map((f) => `/assets/${f}`);
    expect(built.filter((p) => p.endsWith('.wasm')).length).toBeGreaterThanOrEqual(4);
    expect(cached).toEqual(expect.arrayContaining(built));
    expect(cached).toContain('/index.html');

    server!.kill();
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
    await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByLabel('Open files').setInputFiles([{ name: 'offline.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4\n') }]);
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^offline / }).waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Profile' }).click();
    await page.getByRole('article', { name: 'a' }).waitFor({ timeout: 30_000 });
    await context.close();
  });
});

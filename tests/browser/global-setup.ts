import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

let server: ChildProcess | undefined;

/**
 * Serves the production build (dist/, built by `npm run build` before this suite) on localhost.
 * CLIENTELE_DIST names another build folder (`vite build --outDir dist-x`), so that several
 * working copies of the suite can run side by side.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = process.env.CLIENTELE_DIST ?? 'dist';
  if (!existsSync(`${dir}/index.html`)) throw new Error(`${dir}/ is missing: run \`npm run build\` before the browser suite (npm test does).`);
  const port = 4300 + Math.floor(Math.random() * 500);
  server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the static server did not start')), 15_000);
    server!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.on('exit', (code) => reject(new Error(`the static server exited with ${code}`)));
  });
  project.provide('baseUrl', `http://localhost:${port}/`);
  return () => {
    server?.kill();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

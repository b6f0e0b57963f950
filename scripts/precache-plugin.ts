import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Writes dist/sw.js after the build: src/pwa/service-worker.ts transpiled, with the list of every
 * file in dist/ (wasm included, whatever its size — Workbox would skip files over 2 MiB and
 * .wasm by default) and a version hashed from the files' contents.
 */
export function precache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'clientele-precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = config.build.outDir;
      const files = walk(outDir)
        .map((p) => '/' + relative(outDir, p).split('\\').join('/'))
        .filter((p) => p !== '/sw.js' && !p.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(join(outDir, f)));
      const version = hash.digest('hex').slice(0, 12);
      const source = readFileSync('src/pwa/service-worker.ts', 'utf8');
      const { code } = await transformWithOxc(source, 'service-worker.ts');
      const prelude = `const __PRECACHE__ = ${JSON.stringify(files)};\nconst __VERSION__ = ${JSON.stringify(version)};\n`;
      writeFileSync(join(outDir, 'sw.js'), prelude + code);
      config.logger.info(`precache: sw.js lists ${files.length} files (version ${version})`);
    },
  };
}

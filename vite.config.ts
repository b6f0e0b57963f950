import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
// @ts-expect-error plain ESM helper shared with scripts/serve.mjs
import { SECURITY_HEADERS } from './scripts/headers.mjs';
import { precache } from './scripts/precache-plugin.ts';

export default defineConfig({
  plugins: [svelte(), precache()],
  // Everything, wasm included, is emitted as files under /assets and served from our own origin.
  build: { target: 'es2022', assetsInlineLimit: 0, chunkSizeWarningLimit: 4096, sourcemap: false },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS },
});

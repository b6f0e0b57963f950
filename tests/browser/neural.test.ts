import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport, NeuralApi } from '../../src/shared/neural-api';
import { launch, openApp, type RecordedPage } from './chromium';

// The neural worker driven through the built app (window.__clientele.neural), in Chromium with
// WebGPU switched on. On this machine the only WebGPU adapter is SwiftShader (software).
let browser: Browser;
let app: RecordedPage;

beforeAll(async () => {
  browser = await launch(['--enable-unsafe-webgpu']);
  app = await openApp(browser);
  await app.page.waitForFunction(() => Boolean((window as unknown as { __clientele?: { neural?: unknown } }).__clientele?.neural), null, { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
});

/** Trains the MLP on a seeded problem on one backend; returns test accuracy, log loss and the history. */
async function trainOn(backend: 'webgpu' | 'cpu') {
  return app.page.evaluate(async (backend) => {
    const neural = (window as unknown as { __clientele: { neural: NeuralApi } }).__clientele.neural;
    // mulberry32 + Box–Muller, as src/core/random.ts: the same rows every run.
    let state = 12345;
    const next = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const make = (n: number, d: number) => {
      const x = new Float32Array(n * d);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (x[i * d + j] = normal()) * (j % 2 ? -1 : 1) / Math.sqrt(j + 1);
        y[i] = s + 0.5 * normal() > 0 ? 1 : 0;
      }
      return { x, y, n };
    };
    const train = make(400, 6);
    const test = make(200, 6);
    const report = await neural.useBackend(backend);
    const r = await neural.train({ kind: 'mlp', task: 'binary', inputs: 6, hidden: [16] }, train, { epochs: 5, batchSize: 32, learningRate: 0.01, seed: 7, validationSplit: 0.2 });
    const p = await neural.predict(r.modelId, { x: test.x, n: test.n });
    let hit = 0;
    let loss = 0;
    for (let i = 0; i < test.n; i++) {
      const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
      if ((p[i] >= 0.5 ? 1 : 0) === test.y[i]) hit++;
      loss -= test.y[i] ? Math.log(q) : Math.log(1 - q);
    }
    await neural.dispose(r.modelId);
    return { report, backend: r.backend, accuracy: hit / test.n, logLoss: loss / test.n, history: r.history, memory: await neural.memory() };
  }, backend);
}

describe('neural backends in Chromium', () => {
  it('does not pick the SwiftShader WebGPU adapter by default, and says why', async () => {
    const report: BackendReport = await app.page.evaluate(() =>
      (window as unknown as { __clientele: { neural: NeuralApi } }).__clientele.neural.backendReport(),
    );
    console.info('[neural] default backend report:', JSON.stringify(report));
    const webgpu = report.skipped.find((s) => s.backend === 'webgpu');
    if (report.adapter && !report.adapter.isFallbackAdapter && !/swiftshader|google/i.test(`${report.adapter.vendor} ${report.adapter.architecture}`)) {
      // A real GPU here (not this machine): then WebGPU is the right default.
      expect(report.backend).toBe('webgpu');
    } else {
      expect(report.backend).not.toBe('webgpu');
      expect(webgpu?.reason).toMatch(/software|fallback|no WebGPU/);
    }
    expect(report.overridden).toBe(false);
  });

  it('with the override, WebGPU trains the MLP to the CPU backend\'s metrics within tolerance', async () => {
    const gpu = await trainOn('webgpu');
    const cpu = await trainOn('cpu');
    console.info('[neural] webgpu:', JSON.stringify({ adapter: gpu.report.adapter, accuracy: gpu.accuracy, logLoss: gpu.logLoss, epochSeconds: gpu.history.map((h) => h.seconds) }));
    console.info('[neural] cpu:', JSON.stringify({ accuracy: cpu.accuracy, logLoss: cpu.logLoss, epochSeconds: cpu.history.map((h) => h.seconds) }));
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.report.overridden).toBe(true);
    expect(cpu.backend).toBe('cpu');
    expect(cpu.accuracy).toBeGreaterThan(0.8);
    // Float32 sums in another order drift a little over 5 epochs; the model must not.
    expect(Math.abs(gpu.accuracy - cpu.accuracy)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(gpu.logLoss - cpu.logLoss)).toBeLessThanOrEqual(0.001);
    gpu.history.forEach((h, i) => expect(Math.abs(h.loss - cpu.history[i].loss)).toBeLessThanOrEqual(0.001));
    expect(app.consoleErrors).toEqual([]);
  });
});

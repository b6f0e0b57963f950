import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBackend, describeWebGpuAdapter, softwareAdapterReason, type AdapterSummary } from '../../src/neural/backend';

// What headless Chromium's WebGPU reports on a machine without a GPU (SwiftShader), and what
// Dawn reports for an NVIDIA card (see ../shared/gpu/README.md).
const swiftShader: AdapterSummary = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false };
const nvidia: AdapterSummary = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', isFallbackAdapter: false };

/** A stand-in for `navigator.gpu` that offers one adapter with the given info. */
const fakeGpu = (info: AdapterSummary | null) => ({ requestAdapter: async () => (info ? { info } : null) });

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backend choice', () => {
  it('recognizes software adapters by flag, vendor or architecture', () => {
    expect(softwareAdapterReason(swiftShader)).toMatch(/software renderer.*swiftshader/);
    expect(softwareAdapterReason({ ...nvidia, isFallbackAdapter: true })).toMatch(/fallback/);
    expect(softwareAdapterReason({ ...nvidia, vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toMatch(/software/);
    expect(softwareAdapterReason({ ...swiftShader, architecture: '' })).toMatch(/vendor "google"/);
    expect(softwareAdapterReason(nvidia)).toBeUndefined();
  });

  it('reads adapter info from `info` or the older requestAdapterInfo()', async () => {
    expect(await describeWebGpuAdapter(fakeGpu(nvidia))).toEqual(nvidia);
    const old = { requestAdapter: async () => ({ isFallbackAdapter: true, requestAdapterInfo: async () => ({ vendor: 'x' }) }) };
    expect(await describeWebGpuAdapter(old)).toMatchObject({ vendor: 'x', isFallbackAdapter: true });
    expect(await describeWebGpuAdapter(undefined)).toBeUndefined();
  });

  it('skips a SwiftShader adapter and WebGL in Node, landing on the CPU backend, and says why', async () => {
    const report = await chooseBackend({ gpu: fakeGpu(swiftShader), order: ['webgpu', 'webgl', 'cpu'] });
    expect(report.backend).toBe('cpu');
    expect(report.adapter).toEqual(swiftShader);
    expect(report.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(report.skipped[0].reason).toMatch(/software renderer/);
    expect(report.overridden).toBe(false);
  });

  it('says when there is no WebGPU at all, or no adapter', async () => {
    expect((await chooseBackend({ gpu: undefined, order: ['webgpu', 'cpu'] })).skipped[0].reason).toMatch(/no WebGPU/);
    expect((await chooseBackend({ gpu: fakeGpu(null), order: ['webgpu', 'cpu'] })).skipped[0].reason).toMatch(/no WebGPU adapter/);
  });

  it('would take a real adapter (its backend is loaded by the loader), and an override is obeyed or refused loudly', async () => {
    let loaded = false;
    const report = await chooseBackend({ gpu: fakeGpu(nvidia), order: ['webgpu', 'cpu'], loaders: { webgpu: async () => void (loaded = true) } });
    // The stand-in adapter passes the check; in Node no webgpu backend registers, so cpu runs.
    expect(loaded).toBe(true);
    expect(report.skipped).toEqual([{ backend: 'webgpu', reason: 'the webgpu backend is not available here' }]);
    expect(await chooseBackend({ override: 'cpu' })).toMatchObject({ backend: 'cpu', overridden: true });
    await expect(chooseBackend({ override: 'webgpu', gpu: fakeGpu(swiftShader) })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});

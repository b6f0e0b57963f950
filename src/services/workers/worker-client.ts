import * as Comlink from 'comlink';
import { AbortError, AppError } from '../../core/errors';
import type { ProgressCallback } from '../../core/progress';
import { installErrorTransfer } from '../../shared/comlink-errors';

/** One Comlink worker behind a typed API, started on first use and replaceable. */
export interface WorkerHandle<Api> {
  /** Runs `run` against the worker; rejects (never hangs) if the worker dies or is cancelled. */
  call<T>(run: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T>;
  /** Stops the running job: terminate, reject every pending call with an AbortError. */
  cancel(): void;
}

/**
 * The worker-client pattern of the design (squoosh's worker bridge): cancel = terminate, and a
 * fresh worker on the next call. If the worker dies (error event) every pending call is rejected
 * with code 'engine-crashed' — Comlink alone would leave them hanging — and a call that fails
 * with 'engine-crashed' (a wasm trap inside the worker) also retires the worker.
 */
export function createWorkerHandle<Api>(
  spawn: () => Worker,
  what: string,
  /** Runs on every fresh worker before its first call (e.g. to restore a setting). */
  onStart?: (api: Comlink.Remote<Api>) => Promise<void>,
): WorkerHandle<Api> {
  installErrorTransfer();
  let worker: Worker | null = null;
  let remote: Comlink.Remote<Api> | null = null;
  const pending = new Set<(err: Error) => void>();

  const retire = () => {
    remote?.[Comlink.releaseProxy]();
    worker?.terminate();
    worker = null;
    remote = null;
  };
  const stop = (err: Error) => {
    retire();
    for (const reject of [...pending]) reject(err);
    pending.clear();
  };
  const ensure = async (): Promise<Comlink.Remote<Api>> => {
    if (!remote) {
      const w = spawn();
      w.addEventListener('error', (e) => stop(new AppError('engine-crashed', `The ${what} stopped (${e.message || 'worker error'}). Try again.`)));
      worker = w;
      remote = Comlink.wrap<Api>(w);
      if (onStart) await onStart(remote);
    }
    return remote;
  };
  return {
    call: <T>(run: (api: Comlink.Remote<Api>) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        pending.add(reject);
        ensure()
          .then(run)
          .then(resolve, (err) => {
            if ((err as { code?: string })?.code === 'engine-crashed') retire();
            reject(err);
          })
          .finally(() => pending.delete(reject));
      }),
    cancel: () => stop(new AbortError()),
  };
}

/** The distinct transferable buffers behind the typed arrays among an object's values. */
export function transferables(input: object): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(input)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/** Marks an input's typed arrays for transfer (the caller's arrays are detached afterwards). */
export function sendTransferred<I extends object>(input: I): I {
  return Comlink.transfer(input, transferables(input));
}

/** A progress callback that can cross to the worker, or undefined. */
export function progressProxy(cb?: ProgressCallback): ProgressCallback | undefined {
  return cb ? Comlink.proxy(cb) : undefined;
}

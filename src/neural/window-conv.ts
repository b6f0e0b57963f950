import * as tf from '@tensorflow/tfjs';

/**
 * A 1-D convolution ('valid' padding, stride 1, ReLU) computed as windows + one matrix product
 * (im2col): one gather lays out the k consecutive steps of every window side by side, then they
 * are multiplied by a (k·channels) × filters kernel. Same function as Keras' `Conv1D(filters, k, activation='relu')`,
 * but its gradient is a scatter-add and a matMul — kernels every tfjs backend has and
 * runs fast — whereas tfjs' own Conv1D backward pass is a slow element-by-element loop on the CPU
 * backend and is missing on WASM (Conv2DBackpropFilter is not registered there).
 */
export class WindowConv1D extends tf.layers.Layer {
  /** Name under which the layer is (de)serialized with a saved model. */
  static className = 'ClienteleWindowConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  private readonly seed: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: { filters: number; kernelSize: number; seed?: number; name?: string; inputShape?: number[] }) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    const fanIn = this.kernelSize * channels;
    this.kernel = this.addWeight('kernel', [fanIn, this.filters], 'float32', tf.initializers.heNormal({ seed: this.seed }));
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, steps] = inputShape as tf.Shape;
    return [n, steps === null ? null : (steps as number) - this.kernelSize + 1, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [n, steps, channels] = x.shape;
      const out = steps - this.kernelSize + 1;
      // Window t is rows t … t+k−1: one gather builds them all (its gradient is a scatter-add).
      const rows = Int32Array.from({ length: out * this.kernelSize }, (_, i) => Math.floor(i / this.kernelSize) + (i % this.kernelSize));
      const windows = this.kernelSize === 1 ? x : tf.gather(x, tf.tensor1d(rows, 'int32'), 1);
      const flat = windows.reshape([n * out, this.kernelSize * channels]);
      const y = tf.relu(tf.add(tf.matMul(flat, this.kernel.read()), this.bias.read()));
      return y.reshape([n, out, this.filters]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, seed: this.seed };
  }
}

tf.serialization.registerClass(WindowConv1D);

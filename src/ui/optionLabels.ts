/** Human names for option values whose code names are terse. Values not listed show as is. */
export const OPTION_LABELS: Record<string, Record<string, string>> = {
  model: {
    twoArg: 'Two-argument g(a, b)',
    oneArg: 'One-argument g(x)',
    relu: 'ReLU (fixed)',
    tanh: 'tanh (fixed)',
    sigmoid: 'sigmoid (fixed)',
  },
  dataset: {
    xor: 'XOR',
    circle: 'Circle',
    gauss: 'Two Gaussians',
    spiral: 'Spiral',
    moons: 'Moons',
    checkerboard: 'Checkerboard',
    custom: 'Your own: draw or upload',
    digits: 'Digits 8×8 (UCI)',
    fashion: 'Fashion-MNIST 28×28',
  },
  optimizer: { adam: 'Adam', sgd: 'SGD + momentum' },
  backend: {
    auto: 'auto',
    fused: 'WebAssembly (fused)',
    'webgpu-fused': 'WebGPU (fused)',
    webgpu: 'WebGPU',
    wasm: 'WebAssembly',
    webgl: 'WebGL',
    cpu: 'CPU (JS)',
  },
  innerAct: { relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', elu: 'ELU' },
  sessionOne: { visible: 'visible: ±1, length in steps', paper: "paper: authors' scale, length in epochs" },
};

export function optionLabel(key: string, value: string): string {
  return OPTION_LABELS[key]?.[value] ?? value;
}

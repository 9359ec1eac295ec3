// `npm run bench` in @thaw/training: the dense matMul gradient fix, ref-m training throughput
// against the PyTorch reference measured in the same run, the host Adam kernel against the loop it
// replaced, then the ALDI baseline's step time.
import { benchAdamKernel } from './adam-kernel.mjs';
import { benchAldiStep } from './aldi-step.mjs';
import { benchDenseMatMul } from './dense-matmul.mjs';
import { benchTrainThroughput } from './train-throughput.mjs';

await benchDenseMatMul('wasm');
console.log('');
await benchTrainThroughput('wasm');
console.log('');
benchAdamKernel();
console.log('');
await benchAldiStep('wasm');

// `npm run bench` in @thaw/layers: the dense matMul gradient fix, then ref-m training throughput
// against the PyTorch reference measured in the same run.
import { benchDenseMatMul } from './dense-matmul.mjs';
import { benchTrainThroughput } from './train-throughput.mjs';

await benchDenseMatMul('wasm');
console.log('');
await benchTrainThroughput('wasm');

// Times the simulator presets and prints the demo world's split counts and leakage check.
import { formatLeakageReport, formatSplitCounts, leakageReport, simulate, splitCounts } from '../dist/index.js';

for (const preset of ['tiny', 'demo']) {
  const started = performance.now();
  const { frame, spec, split } = simulate(preset, 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `simulate('${preset}', 0): ${frame.size} impressions in ${seconds.toFixed(2)} s (${Math.round(frame.size / seconds)} impressions/s)`,
  );
  if (preset === 'demo') {
    console.log(formatSplitCounts(splitCounts(frame, split, spec.coldStart.coldDays)));
    console.log(formatLeakageReport(leakageReport(frame, split, spec.coldStart.coldDays)));
  }
}

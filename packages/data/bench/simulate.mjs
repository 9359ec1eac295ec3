// Times the simulator presets and prints the demo world's split counts and leakage check; times the
// item snapshot at the end of calibration (the serving items table) against the latest-row fallback.
import {
  formatLeakageReport,
  formatSplitCounts,
  itemSnapshotFromRows,
  leakageReport,
  simulate,
  splitCounts,
} from '../dist/index.js';

for (const preset of ['tiny', 'demo']) {
  const started = performance.now();
  const simulation = simulate(preset, 0);
  const { frame, spec, split } = simulation;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `simulate('${preset}', 0): ${frame.size} impressions in ${seconds.toFixed(2)} s (${Math.round(frame.size / seconds)} impressions/s)`,
  );
  if (preset === 'demo') {
    console.log(formatSplitCounts(splitCounts(frame, split, spec.coldStart.coldDays)));
    console.log(formatLeakageReport(leakageReport(frame, split, spec.coldStart.coldDays)));
    const asOf = split.windows.calibration.end;
    let t0 = performance.now();
    const snapshot = simulation.itemSnapshot(asOf);
    const snapshotMs = performance.now() - t0;
    t0 = performance.now();
    const rows = Int32Array.from([...split.rows.train, ...split.rows.calibration]);
    const latest = itemSnapshotFromRows(frame, spec, { rows, asOf });
    const latestMs = performance.now() - t0;
    const once = (s, i) => Math.abs(s.features.item_stats[i * 7] - Math.log(2)) < 1e-6;
    const fromLog = new Map(snapshot.itemIds.map((id, i) => [id, i]));
    const onceNoHistory = latest.itemIds.filter(
      (id, i) => once(snapshot, fromLog.get(id)) && latest.features.item_stats[i * 7] === 0,
    );
    console.log(
      `itemSnapshot(end of calibration): ${snapshot.size} items (${snapshot.cold.reduce((a, b) => a + b, 0)} cold) in ${snapshotMs.toFixed(0)} ms; ` +
        `latest-row fallback: ${latest.size} items in ${latestMs.toFixed(0)} ms, ${onceNoHistory.length} of them shown once and served as history-less`,
    );
  }
}

// Reads Vitest's JSON report and prints the plain closing line CI reads: `N passed, N failed`.
import { readFileSync, existsSync } from 'node:fs';

const [, , reportPath, statusText] = process.argv;
const status = Number(statusText ?? '1');
if (!reportPath || !existsSync(reportPath)) {
  console.log('tests: 0 passed, 1 failed');
  process.exit(status === 0 ? 1 : status);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A suite that failed to load has no failed tests but is a failure all the same.
const brokenSuites = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
).length;
failed += brokenSuites;
if (passed === 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : status);

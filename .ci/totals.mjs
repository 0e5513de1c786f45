// Prints "N passed, N failed, N skipped" from a JUnit file (the line CI reads).
import { readFileSync } from 'node:fs';

const xml = readFileSync(process.argv[2] ?? 'reports/self-test/junit.xml', 'utf8');
const cases = xml.match(/<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
let failed = 0;
let skipped = 0;
for (const c of cases) {
  if (/<(failure|error)\b/.test(c)) failed++;
  else if (/<skipped\b/.test(c)) skipped++;
}
if (cases.length === 0) {
  console.error('no test cases in the JUnit file');
  process.exit(1);
}
console.log(`${cases.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);

/**
 * The self-tests' batch process: `node --import tsx test/batch-child.ts jobs.json results.json`
 * makes every run of jobs.json (each the CLI's arguments) in one vitest run of so many workers
 * (cli/batch.ts) and writes each run's exit code and console lines to results.json, in order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runBatch } from '../cli/batch.js';

const [jobsFile, resultsFile] = process.argv.slice(2);
if (!jobsFile || !resultsFile) throw new Error('usage: batch-child.ts jobs.json results.json');
const { jobs, workers } = JSON.parse(readFileSync(jobsFile, 'utf8')) as { jobs: string[][]; workers: number };
writeFileSync(resultsFile, JSON.stringify(await runBatch(jobs, workers)));
process.exit(0);

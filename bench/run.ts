/**
 * `npm run bench [suite…]`: runs the benchmarks, prints a summary and writes
 * bench/results/latest.json. Suites: sync, large-plan, recommendations, groups, export, suggestions, chunks, progress, public, startup (default: all).
 * BENCH_SYNC_ROUNDS (default 5) sets how many rounds the sync suite runs each server per scenario;
 * BENCH_SYNC_SCENARIOS=S1 runs only the scenarios named. The sync suite then runs S2 on one Accord
 * process on SQLite and on three sharing PostgreSQL with Redis between them (needs Redis, REDIS_URL
 * or 127.0.0.1:6379, and PostgreSQL, BENCH_DATABASE_URL or postgres://127.0.0.1:5432/test;
 * BENCH_CLUSTER_DATABASE=sqlite shares one SQLite file instead; BENCH_CLUSTER_ROUNDS, default
 * BENCH_SYNC_ROUNDS); `sync-cluster` runs only that.
 * `storage` (not part of the default run: it needs PostgreSQL, BENCH_DATABASE_URL or
 * postgres://127.0.0.1:5432/test) times one update's append to a document's log on SQLite and on
 * PostgreSQL; BENCH_STORAGE_RUNS (default 5) and BENCH_STORAGE_APPENDS (default 1000) size it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printPageLoads, runChunksBench } from './chunks.ts';
import { type ExportBenchRow, runExportBench } from './export.ts';
import type { ExportFormat } from '../shared/api/agreement.ts';
import { runFloodRound } from './flood.ts';
import { runGroupsBench } from './groups.ts';
import { runLargePlanBench } from './largePlan.ts';
import { runProgressBench } from './progress.ts';
import { runPublicRecordBench } from './publicRecord.ts';
import { runRecommendationsBench } from './recommendations.ts';
import { runStartupBench } from './startup.ts';
import { runStorageBench, STORAGE_VARIANTS, type StorageRun } from './storage.ts';
import { drafterRoundRatios, roundRatios, runSuggestionsBench } from './suggestions.ts';
import { runSyncScenario, SCENARIOS, type SyncResult } from './sync.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const want = (suite: string) => wanted.size === 0 || wanted.has(suite);
const wantNamed = (suite: string) => wanted.has(suite);

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** Median and range of a list of numbers. */
function spreadOf(xs: number[]): { median: number; min: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

const fmtSpread = (s: { median: number; min: number; max: number }, digits: number) =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

function syncRatios(accord: SyncResult, reference: SyncResult) {
  return {
    p99Latency: accord.latencyMs.p99 / reference.latencyMs.p99,
    p50Latency: accord.latencyMs.p50 / reference.latencyMs.p50,
    cpuPerUpdate: accord.serverCpuMsPerUpdate / reference.serverCpuMsPerUpdate,
    peakRss: accord.serverPeakRssMB / reference.serverPeakRssMB,
  };
}

/**
 * Several processes: each round runs S2 (or BENCH_SYNC_SCENARIOS) on one Accord process and on three
 * sharing the database with Redis between them (people of each section spread over the three),
 * alternately. CPU is the processes' total, so the difference per update is what the fan-out costs.
 */
async function syncClusterSuite() {
  const rounds = Number(process.env.BENCH_CLUSTER_ROUNDS ?? process.env.BENCH_SYNC_ROUNDS ?? 5);
  const names = process.env.BENCH_SYNC_SCENARIOS?.split(',') ?? ['S2'];
  const rows = [];
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    console.log(`\n[sync-cluster] ${scenario.name}: ${scenario.description}; ${rounds} rounds, one process and three alternately`);
    const perRound: Array<{ one: SyncResult; three: SyncResult }> = [];
    for (let i = 0; i < rounds; i++) {
      const order: Array<'accord' | 'accord-cluster'> = i % 2 === 0 ? ['accord', 'accord-cluster'] : ['accord-cluster', 'accord'];
      const got: Partial<Record<'accord' | 'accord-cluster', SyncResult>> = {};
      for (const kind of order) got[kind] = await runSyncScenario(kind, scenario);
      const round = { one: got.accord!, three: got['accord-cluster']! };
      perRound.push(round);
      console.log(`  round ${i + 1} (${order[0]} first)`);
      for (const r of [round.one, round.three]) {
        console.log(
          `    ${r.server.padEnd(14)} updates/s ${fmt(r.updatesPerSecond)}  deliveries/s ${fmt(r.deliveriesPerSecond, 0)} (missing ≤ ${r.missingDeliveries})  ` +
            `latency p50 ${fmt(r.latencyMs.p50)} p99 ${fmt(r.latencyMs.p99)} max ${fmt(r.latencyMs.max)} ms  ` +
            `cpu/update ${fmt(r.serverCpuMsPerUpdate, 3)} ms (${fmt(r.serverCpuPercent, 0)}%)  peak RSS ${fmt(r.serverPeakRssMB, 0)} MB  data in ${r.database}` +
            (r.databaseCpuMsPerUpdate === undefined ? '' : ` (its cpu/update ${fmt(r.databaseCpuMsPerUpdate, 3)} ms)`),
        );
      }
    }
    const side = (k: 'one' | 'three') => ({
      p50Ms: spreadOf(perRound.map((r) => r[k].latencyMs.p50)),
      p99Ms: spreadOf(perRound.map((r) => r[k].latencyMs.p99)),
      cpuMsPerUpdate: spreadOf(perRound.map((r) => r[k].serverCpuMsPerUpdate)),
      peakRssMB: spreadOf(perRound.map((r) => r[k].serverPeakRssMB)),
    });
    const summary = {
      oneProcess: side('one'),
      threeProcesses: side('three'),
      fanoutCpuMsPerUpdate: spreadOf(perRound.map((r) => r.three.serverCpuMsPerUpdate - r.one.serverCpuMsPerUpdate)),
      databaseCpuMsPerUpdate: spreadOf(perRound.map((r) => r.three.databaseCpuMsPerUpdate ?? 0)),
      threeDatabase: perRound[0]?.three.database,
      p99Ratio: spreadOf(perRound.map((r) => r.three.latencyMs.p99 / r.one.latencyMs.p99)),
    };
    console.log(`  ${scenario.name} over ${rounds} rounds, median (min–max):`);
    for (const [label, s] of [['one (SQLite)', summary.oneProcess], [`three + Redis (${summary.threeDatabase})`, summary.threeProcesses]] as const) {
      console.log(`    ${label.padEnd(14)} p99 ${fmtSpread(s.p99Ms, 1)} ms, p50 ${fmtSpread(s.p50Ms, 1)} ms, cpu/update ${fmtSpread(s.cpuMsPerUpdate, 3)} ms, peak RSS ${fmtSpread(s.peakRssMB, 0)} MB`);
    }
    console.log(`    fan-out cost per update (three − one, per round): ${fmtSpread(summary.fanoutCpuMsPerUpdate, 3)} ms of CPU; p99 ratio three/one ${fmtSpread(summary.p99Ratio, 2)}`);
    if (summary.threeDatabase === 'postgres') console.log(`    PostgreSQL's own CPU per update beside the three: ${fmtSpread(summary.databaseCpuMsPerUpdate, 3)} ms`);
    rows.push({ scenario: scenario.name, rounds, summary, perRound });
  }
  return rows;
}

/**
 * Each scenario runs both servers alternately for several rounds, and the verdict is the median of
 * the per-round ratios: on a shared machine the load of the moment moves both servers' figures
 * together within a round, but by a factor of three between runs minutes apart.
 */
async function syncSuite() {
  const rounds = Number(process.env.BENCH_SYNC_ROUNDS ?? 5);
  const only = process.env.BENCH_SYNC_SCENARIOS?.split(',');
  const rows = [];
  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    console.log(`\n[sync] ${scenario.name}: ${scenario.description}; ${rounds} rounds, the two servers alternately`);
    const perRound: Array<{ accord: SyncResult; reference: SyncResult; ratios: ReturnType<typeof syncRatios> }> = [];
    for (let i = 0; i < rounds; i++) {
      // Which server goes first alternates, so neither always runs right after the other's load.
      const order: Array<'reference' | 'accord'> = i % 2 === 0 ? ['reference', 'accord'] : ['accord', 'reference'];
      const got: Partial<Record<'reference' | 'accord', SyncResult>> = {};
      for (const kind of order) got[kind] = await runSyncScenario(kind, scenario);
      const { accord, reference } = got as Record<'reference' | 'accord', SyncResult>;
      const ratios = syncRatios(accord, reference);
      perRound.push({ accord, reference, ratios });
      console.log(`  round ${i + 1} (${order[0]} first)`);
      for (const r of [reference, accord]) {
        console.log(
          `    ${r.server.padEnd(9)} conns ${r.connections}  updates/s ${fmt(r.updatesPerSecond)}  deliveries/s ${fmt(r.deliveriesPerSecond, 0)}  ` +
            `latency p50 ${fmt(r.latencyMs.p50)} p95 ${fmt(r.latencyMs.p95)} p99 ${fmt(r.latencyMs.p99)} max ${fmt(r.latencyMs.max)} ms (${r.latencyMs.samples} samples)  ` +
            `cpu/update ${fmt(r.serverCpuMsPerUpdate, 3)} ms (${fmt(r.serverCpuPercent, 0)}%)  peak RSS ${fmt(r.serverPeakRssMB, 0)} MB  ` +
            `loop delay p99 ${fmt(r.loopDelayMs.p99)} max ${fmt(r.loopDelayMs.max)} ms`,
        );
      }
      console.log(`    ratio accord/reference: p99 latency ${fmt(ratios.p99Latency, 2)}, p50 ${fmt(ratios.p50Latency, 2)}, cpu/update ${fmt(ratios.cpuPerUpdate, 2)}`);
    }
    const side = (kind: 'reference' | 'accord') => ({
      p50Ms: spreadOf(perRound.map((r) => r[kind].latencyMs.p50)),
      p99Ms: spreadOf(perRound.map((r) => r[kind].latencyMs.p99)),
      cpuMsPerUpdate: spreadOf(perRound.map((r) => r[kind].serverCpuMsPerUpdate)),
      peakRssMB: spreadOf(perRound.map((r) => r[kind].serverPeakRssMB)),
    });
    const summary = {
      reference: side('reference'),
      accord: side('accord'),
      ratios: {
        p99Latency: spreadOf(perRound.map((r) => r.ratios.p99Latency)),
        p50Latency: spreadOf(perRound.map((r) => r.ratios.p50Latency)),
        cpuPerUpdate: spreadOf(perRound.map((r) => r.ratios.cpuPerUpdate)),
        peakRss: spreadOf(perRound.map((r) => r.ratios.peakRss)),
      },
    };
    console.log(`  ${scenario.name} over ${rounds} rounds, median (min–max):`);
    for (const kind of ['reference', 'accord'] as const) {
      const s = summary[kind];
      console.log(
        `    ${kind.padEnd(9)} p99 ${fmtSpread(s.p99Ms, 1)} ms, p50 ${fmtSpread(s.p50Ms, 1)} ms, cpu/update ${fmtSpread(s.cpuMsPerUpdate, 3)} ms, peak RSS ${fmtSpread(s.peakRssMB, 0)} MB`,
      );
    }
    const r = summary.ratios;
    console.log(
      `    ratio accord/reference per round: p99 latency ${fmtSpread(r.p99Latency, 2)}, cpu/update ${fmtSpread(r.cpuPerUpdate, 2)}, ` +
        `p50 ${fmtSpread(r.p50Latency, 2)}, peak RSS ${fmtSpread(r.peakRss, 2)}`,
    );
    console.log(
      `    target (ratio ≤ 1 by median): p99 ${r.p99Latency.median <= 1 ? 'met' : 'NOT met'}, cpu/update ${r.cpuPerUpdate.median <= 1 ? 'met' : 'NOT met'}`,
    );
    rows.push({ scenario: scenario.name, rounds, summary, perRound });
  }
  return rows;
}

async function recommendationsSuite() {
  console.log('\n[recommendations] a 40,000-row UPR Info export previewed, committed and undone through the API while another drafter reads and types');
  const r = await runRecommendationsBench(Number(process.env.BENCH_RECOMMENDATION_ROWS ?? 40_000));
  console.log(
    `  ${r.rows} rows (${fmt(r.csvMB)} MB → ${r.recommendations} recommendations): preview ${fmt(r.previewMs, 0)} ms, ` +
      `commit ${fmt(r.commitMs, 0)} ms (target ≤ 5,000), undo ${fmt(r.undoMs, 0)} ms`,
  );
  for (const probe of ['request', 'sync'] as const) {
    const label = probe === 'request' ? 'plan page every 10 ms' : 'keystroke round trip  ';
    console.log(
      `  ${label}: longest (median) wait ms — ` +
        (['idle', 'preview', 'commit', 'undo'] as const)
          .map((p) => `${p} ${fmt(r[probe][p].max, 0)} (${fmt(r[probe][p].p50, 1)})`)
          .join(', '),
    );
  }
  if (r.unechoedKeystrokes > 0) console.log(`  keystrokes never echoed: ${r.unechoedKeystrokes}`);
  const m = r.memoryMB;
  console.log(
    `  server RSS after a full GC: before the import ${fmt(m.beforeImport, 0)} MB, after the commit ${fmt(m.afterCommit, 0)} MB, ` +
      `after the undo ${fmt(m.afterUndo, 0)} MB (${fmt(m.afterUndo - m.beforeImport, 0)} MB above; target ≤ 50), peak ${fmt(m.peak, 0)} MB`,
  );
  console.log(
    '  queries at 40k: ' +
      Object.entries(r.query)
        .map(([k, v]) => `${k.replace(/Ms$/, '')} ${fmt(v)} ms`)
        .join(', '),
  );
  return r;
}

function groupsSuite() {
  console.log('\n[groups] near-duplicate recommendation groups: quality on the labelled set, then 40,000 recommendations');
  const r = runGroupsBench();
  const q = r.labelled;
  console.log(
    `  labelled set (${q.items} recommendations, ${q.truePairs} true pairs): precision ${fmt(q.precision, 3)}, recall ${fmt(q.recall, 3)} ` +
      `(${q.correctPairs} of ${q.proposedPairs} proposed pairs true; ${q.groupsProposed} groups proposed)`,
  );
  console.log(
    `  ${r.scale.recommendations} recommendations: ${r.scale.groups} groups in ${fmt(r.scale.totalMs / 1000, 2)} s, ` +
      `in ${r.scale.steps} steps, the longest ${fmt(r.scale.longestStepMs, 0)} ms of wall time (${fmt(r.scale.longestStepCpuMs, 0)} ms of CPU): ` +
      'the longest another request waits behind it',
  );
  return r;
}

async function largePlanSuite() {
  console.log('\n[large-plan] 200 sections, 500,000 characters, from a cold server; then two rounds of typing and leaving');
  const r = await runLargePlanBench(10);
  console.log(
    `  ${r.sections} sections, ${r.characters} characters: cold start ${fmt(r.coldStartMs, 0)} ms, outline ${fmt(r.outlineMs, 0)} ms, ` +
      `first section editable ${fmt(r.firstSectionEditableMs, 0)} ms, all ${r.sections} editable ${fmt(r.allSectionsEditableMs, 0)} ms`,
  );
  console.log(
    `  server RSS: idle ${fmt(r.serverMB.idle, 0)} MB, all sections loaded ${fmt(r.serverMB.all200Loaded, 0)} MB, after leaving ${fmt(r.serverMB.afterSoakAndLeave, 0)} MB; ` +
      `heap: baseline ${fmt(r.serverMB.baselineHeap)} MB, after round 1 ${fmt(r.serverMB.heapAfterRound1)} MB, after round 2 ${fmt(r.serverMB.heapAfter)} MB`,
  );
  console.log(
    `  left behind: ${r.leftBehind.loadedDocuments} documents, ${r.leftBehind.connections} connections, listeners ${JSON.stringify(r.leftBehind.listeners)}, ` +
      `handles before ${JSON.stringify(r.leftBehind.resourcesBefore)} after ${JSON.stringify(r.leftBehind.resourcesAfter)}`,
  );
  return r;
}

async function exportSuite() {
  console.log('\n[export] a plan of 200 sections, 1,000 actions, 2,000 recommendations (baseline: 20 sections), every export in a process of its own');
  // BENCH_EXPORT_FORMATS=docx,pdf and BENCH_EXPORT_SIZES=200 measure only those (e.g. after a change to one renderer).
  const formats = process.env.BENCH_EXPORT_FORMATS?.split(',') as ExportFormat[] | undefined;
  const sizes = process.env.BENCH_EXPORT_SIZES?.split(',').map(Number) ?? [20, 200];
  const rows: ExportBenchRow[] = [];
  for (const size of sizes) rows.push(...(await runExportBench([size], formats, size >= 200 ? 3 : 1)));
  const spread = (xs: number[], digits = 0) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${fmt(sorted[Math.floor(sorted.length / 2)]!, digits)} (${fmt(sorted[0]!, digits)}–${fmt(sorted.at(-1)!, digits)}, ${xs.length} runs)`;
  };
  const measured = [...new Set(rows.map((r) => r.format))];
  for (const sections of sizes) {
    for (const format of measured) {
      const runs = rows.filter((r) => r.format === format && r.sections === sections);
      console.log(
        `  ${format.padEnd(11)} ${String(sections).padStart(3)} sections: ${spread(runs.map((r) => r.ms))} ms, file ${fmt(runs[0]!.fileMB, 2)} MB, ` +
          `idle ${spread(runs.map((r) => r.idleRssMB))} MB, peak ${spread(runs.map((r) => r.peakRssMB))} MB, ` +
          `peak above idle ${spread(runs.map((r) => r.peakRssMB - r.idleRssMB))} MB, worker heap at the end ${spread(runs.map((r) => r.workerHeapMB))} MB`,
      );
    }
  }
  return rows;
}

function suggestionsSuite() {
  console.log('\n[suggestions] server-side cost of one keystroke: a drafter (baseline) and a person who may only suggest');
  const rows = runSuggestionsBench();
  for (const r of rows) {
    const s = r.suggesterMs;
    console.log(
      `  ${r.label.padEnd(17)} ${String(r.paragraphs).padStart(3)} paragraphs, ${String(r.characters).padStart(6)} characters, ${String(r.suggestions).padStart(5)} suggestions: ` +
        `drafter median ${fmt(r.editorMsPerUpdate, 3)} ms, suggester median ${fmt(s.median, 3)} ms (min ${fmt(s.min, 3)}, max ${fmt(s.max, 3)}; ${s.rounds} rounds) per keystroke`,
    );
  }
  const shown = (r: { median: number; min: number; max: number } | null) => (r ? `×${fmt(r.median, 2)} (${fmt(r.min, 2)}–${fmt(r.max, 2)})` : 'n/a');
  for (const [who, ratio] of [
    ['suggester', roundRatios],
    ['drafter (Yjs alone)', drafterRoundRatios],
  ] as const) {
    console.log(
      `  ${who}, per-round ratios, median (min–max): 20,000/10 suggestions ${shown(ratio(rows, 'few suggestions', 'many elsewhere'))} (none in the paragraph typed in), ` +
        `${shown(ratio(rows, 'few suggestions', 'many suggestions'))} (200 of them in it); 100,000/5,000 characters ${shown(ratio(rows, 'short section', 'long section'))} (target: within ×2)`,
    );
  }
  return rows;
}

async function progressSuite() {
  console.log('\n[progress] GET /progress on a plan of 200 sections, 1,000 actions, 3,000 indicators after 5 rounds (baseline: 20 sections)');
  const rows = [await runProgressBench(20, 20, 3), await runProgressBench(200, 20, 1)];
  for (const r of rows) {
    console.log(
      `  ${String(r.sections).padStart(3)} sections, ${r.actions} actions, ${r.indicators} indicators, ${r.observedValues} values, ${r.assessments} assessments: ` +
        `HTTP p50 ${fmt(r.httpMs.p50)} ms (min ${fmt(r.httpMs.min)}, p95 ${fmt(r.httpMs.p95)}, max ${fmt(r.httpMs.max)}, sd ${fmt(r.httpMs.sd)}; ${r.httpMs.runs} runs), ` +
        `service p50 ${fmt(r.serviceMs.p50)} ms (sd ${fmt(r.serviceMs.sd)}), answer ${fmt(r.responseKB, 0)} KB`,
    );
    for (const e of r.report) {
      console.log(
        `      progress report ${e.format}: p50 ${fmt(e.ms.p50)} ms (min ${fmt(e.ms.min)}, max ${fmt(e.ms.max)}; ${e.ms.runs} runs), ${fmt(e.fileKB, 0)} KB, ` +
          `process RSS ${fmt(e.baseRssMB, 0)} MB before, peak ${fmt(e.peakRssMB, 0)} MB`,
      );
    }
  }
  return rows;
}

function chunksSuite() {
  console.log('\n[chunks] a production build: the JavaScript each page loads before it paints (minified, gzip -9)');
  const loads = runChunksBench();
  printPageLoads(loads);
  return loads.map(({ page, totalBytes, totalGzipBytes, largest, chunks }) => ({
    page,
    files: chunks.length,
    totalBytes,
    totalGzipBytes,
    largest: { file: largest.file, bytes: largest.bytes, gzipBytes: largest.gzipBytes },
  }));
}

async function publicSuite() {
  const options = {
    rounds: Number(process.env.BENCH_PUBLIC_ROUNDS ?? 3),
    seconds: Number(process.env.BENCH_PUBLIC_SECONDS ?? 10),
    connections: 10,
    profileDir: process.env.BENCH_PUBLIC_PROFILE ?? null,
  };
  console.log(
    `\n[public] GET /p/<slug> of an adopted 200-section plan against express.static serving the same bytes (the floor): ` +
      `${options.connections} connections, ${options.seconds} s a run, ${options.rounds} rounds, each server in its own process`,
  );
  const r = await runPublicRecordBench(options);
  console.log(
    `  plan: ${r.plan.sections} sections, ${r.plan.actions} actions, ${r.plan.recommendations} recommendations, ${r.plan.reports} reports, ` +
      `${r.plan.values} values, ${r.plan.assessments} assessments; page ${fmt(r.pageKB, 0)} KB (gzip ${fmt(r.pageGzipKB, 0)} KB for browsers that accept it; the runs move the full bytes), snapshot ${fmt(r.snapshotKB, 0)} KB`,
  );
  console.log(`  publish (snapshot build) ${fmt(r.publishMs, 0)} ms, first GET (uncached render) ${fmt(r.firstRenderMs, 0)} ms, next GET ${fmt(r.cachedGetMs)} ms`);
  const line = (name: string, s: typeof r.accord) =>
    `  ${name.padEnd(6)} req/s median ${fmt(s.requestsPerSecond.median, 0)} (${fmt(s.requestsPerSecond.min, 0)}–${fmt(s.requestsPerSecond.max, 0)}), ` +
    `p99 median ${fmt(s.p99Ms.median)} ms (${fmt(s.p99Ms.min)}–${fmt(s.p99Ms.max)})`;
  console.log(line('accord', r.accord));
  console.log(line('floor', r.floor));
  console.log(line('memory', r.memory) + '  (diagnosis: the same bytes from memory in one write)');
  const { byMedian, perRound, target } = r.ratios;
  console.log(
    `  by median: floor/Accord req/s ×${fmt(byMedian.requestsPerSecond, 2)}, Accord/floor p99 ×${fmt(byMedian.p99, 2)}; per round: ` +
      perRound.map((p) => `×${fmt(p.requestsPerSecond, 2)}/×${fmt(p.p99, 2)}`).join(', '),
  );
  console.log(
    `  target within ${target}× of the floor: ${r.ratios.metByMedian ? 'met' : 'NOT met'} by median; ` +
      `${r.ratios.metInEveryRound ? 'met' : 'not met'} in every round`,
  );
  return r;
}

async function startupSuite() {
  console.log('\n[startup] the server from its TypeScript sources through tsx (npm run dev) and compiled (npm start): time to ready and idle memory');
  const rows = await runStartupBench(7);
  for (const r of rows) {
    console.log(
      `  ${r.mode.padEnd(8)} ready ${fmt(r.readyMs.median, 0)} ms (min ${fmt(r.readyMs.min, 0)}, max ${fmt(r.readyMs.max, 0)}), ` +
        `idle RSS ${fmt(r.idleRssMB.median, 0)} MB (min ${fmt(r.idleRssMB.min, 0)}, max ${fmt(r.idleRssMB.max, 0)}); ${r.readyMs.runs} runs`,
    );
  }
  const [tsx, compiled] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log(
    `  compiled/tsx: ready ×${fmt(compiled.readyMs.median / tsx.readyMs.median, 2)}, idle RSS ×${fmt(compiled.idleRssMB.median / tsx.idleRssMB.median, 2)}`,
  );
  return rows;
}

/**
 * A member flooding a section while two others type (bench/flood.ts): their round trips during
 * the flood against the same people's with no flood, in each round.
 */
async function floodSuite() {
  const rounds = Number(process.env.BENCH_FLOOD_ROUNDS ?? 5);
  console.log(`\n[flood] ten sockets that never read + presence at 10,000/s; two people typing 20 keys/s; ${rounds} rounds, fresh server each`);
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    const r = await runFloodRound(200);
    runs.push(r);
    console.log(
      `  round ${round + 1}: round trips p50 ${fmt(r.idleP50Ms)} → ${fmt(r.floodedP50Ms)} ms, p99 ${fmt(r.idleP99Ms)} → ${fmt(r.floodedP99Ms)} ms ` +
        `(no flood → flood); ${r.sent} presence messages, flood cut off ${r.floodCloses}×; RSS ${fmt(r.rssBeforeMB, 0)} → ${fmt(r.rssDuringMB, 0)} MB`,
    );
  }
  const summary = {
    idleP99Ms: spreadOf(runs.map((r) => r.idleP99Ms)),
    floodedP99Ms: spreadOf(runs.map((r) => r.floodedP99Ms)),
    p99Ratio: spreadOf(runs.map((r) => r.floodedP99Ms / r.idleP99Ms)),
    rssGrowthMB: spreadOf(runs.map((r) => r.rssDuringMB - r.rssBeforeMB)),
  };
  console.log(
    `  median (min–max): p99 no flood ${fmtSpread(summary.idleP99Ms, 1)} ms, during the flood ${fmtSpread(summary.floodedP99Ms, 1)} ms ` +
      `(×${fmtSpread(summary.p99Ratio, 2)}); RSS growth ${fmtSpread(summary.rssGrowthMB, 0)} MB; target p99 < 50 ms during the flood: ` +
      `${summary.floodedP99Ms.max < 50 ? 'met in every round' : summary.floodedP99Ms.median < 50 ? 'met at the median, not in every round' : 'missed'}`,
  );
  return { runs, summary };
}

/**
 * One update appended to a document's log: SQLite as the server stores it now, PostgreSQL as
 * PgDocumentStore does (and the two other ways of keeping sequence numbers unique, for comparison).
 */
async function storageSuite() {
  const options = {
    url: process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test',
    runs: Number(process.env.BENCH_STORAGE_RUNS ?? 5),
    appends: Number(process.env.BENCH_STORAGE_APPENDS ?? 1000),
  };
  console.log(`\n[storage] one keystroke's update appended to a section's log, ${options.appends} appends a variant, ${options.runs} rounds`);
  const runs = await runStorageBench(options, (r, round) =>
    console.log(
      `  round ${round + 1} ${r.variant.padEnd(32)} ${fmt(r.appendsPerSecond, 0).padStart(6)} appends/s  p50 ${fmt(r.p50Ms, 3)} ms  p99 ${fmt(r.p99Ms, 3)} ms` +
        (r.retries ? `  retries ${r.retries}` : ''),
    ),
  );
  console.log(`  over ${options.runs} rounds, median (min–max):`);
  const summary = STORAGE_VARIANTS.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const s = {
      variant,
      appendsPerSecond: spreadOf(mine.map((r) => r.appendsPerSecond)),
      p50Ms: spreadOf(mine.map((r) => r.p50Ms)),
      p99Ms: spreadOf(mine.map((r) => r.p99Ms)),
      retries: spreadOf(mine.map((r: StorageRun) => r.retries)),
    };
    console.log(
      `    ${variant.padEnd(32)} ${fmtSpread(s.appendsPerSecond, 0)} appends/s, p50 ${fmtSpread(s.p50Ms, 3)} ms, p99 ${fmtSpread(s.p99Ms, 3)} ms` +
        (s.retries.max > 0 ? `, retries ${fmtSpread(s.retries, 0)}` : ''),
    );
    return s;
  });
  return { options: { runs: options.runs, appends: options.appends }, summary, runs };
}

async function main() {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  };
  if (want('recommendations')) results.recommendations = await recommendationsSuite();
  if (want('groups')) results.groups = groupsSuite();
  if (want('sync')) results.sync = await syncSuite();
  if (want('flood')) results.flood = await floodSuite();
  // Part of the sync suite (it needs Redis and PostgreSQL, which .ci/run starts); alone: sync-cluster.
  if (want('sync') || wantNamed('sync-cluster')) results.syncCluster = await syncClusterSuite();
  if (want('large-plan')) results.largePlan = await largePlanSuite();
  if (want('export')) results.export = await exportSuite();
  if (want('suggestions')) results.suggestions = suggestionsSuite();
  if (want('chunks')) results.chunks = chunksSuite();
  if (want('progress')) results.progress = await progressSuite();
  if (want('public')) results.public = await publicSuite();
  if (want('startup')) results.startup = await startupSuite();
  if (wantNamed('storage')) results.storage = await storageSuite();
  const out = join(HERE, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nResults written to ${join('bench', 'results', 'latest.json')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

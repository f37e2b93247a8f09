/**
 * `npm start` runs the compiled server (dist/server, built by scripts/buildServer.ts) with plain
 * Node, no TypeScript loader. These start that build in its own process and use everything that
 * reads files beside the code or starts a worker thread: migrations, the sample plan's CSV, the
 * client build, both export workers (with their fonts, charts and zipped tables), the public record's stylesheet.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, SERVER_OUT_DIR } from '../../scripts/buildServer.ts';
import { ApiClient } from '../helpers/api.ts';
import { exportPlan, exportText, squash } from '../helpers/exportPlan.ts';
import { uploadImport } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { monitoredPlan, submitReport } from '../helpers/monitoringPlan.ts';
import { COMPILED_ENTRY, spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';
import type { TestServer } from '../helpers/server.ts';

const CLIENT_INDEX = join(import.meta.dirname, '..', '..', 'dist', 'client', 'index.html');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const dataDirs: string[] = [];
let running: ServerProcess | undefined;

async function startCompiled(): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-compiled-'));
  dataDirs.push(dataDir);
  // No loader may come in through the environment either: what runs is what was compiled.
  running = await spawnServer({ dataDir, compiled: true, env: { NODE_OPTIONS: '' } });
  return running;
}

beforeAll(async () => {
  expect(existsSync(CLIENT_INDEX), 'the client build (npx vite build, part of npm run build)').toBe(true);
  await buildServer();
}, 120_000);
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the compiled server', () => {
  it('holds only JavaScript and the files the server reads beside its code', () => {
    const files = filesUnder(SERVER_OUT_DIR).map((f) => relative(SERVER_OUT_DIR, f).split('\\').join('/'));
    expect(existsSync(COMPILED_ENTRY)).toBe(true);
    expect(files.filter((f) => /\.(ts|tsx|mjs)$/.test(f))).toEqual([]);
    for (const f of ['server/export/worker.js', 'server/export/progress/reportWorker.js', 'server/services/importWorker.js', 'server/db/migrations/001_initial.sql', 'server/public/record.css']) {
      expect(files).toContain(f);
    }
  });

  it('starts with plain Node and serves its health, the client, the sample plan, a plan export and the public stylesheet', async () => {
    const server = await startCompiled();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const page = await fetch(`${server.url}/plans`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/assets\/index-[^"]+\.js"/);

    const css = await fetch(`${server.url}/public-record.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await css.text()).length).toBeGreaterThan(100);

    // The sample plan: migrations made the database, the CSV beside the code fills the registry.
    const olga = new ApiClient(server.url);
    const setup = await olga.post('/api/setup', {
      name: 'Olga Coordinator',
      email: 'olga@mfa.example',
      password: COORDINATOR_PASSWORD,
      organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
      loadSample: true,
    });
    expect(setup.status, JSON.stringify(setup.body)).toBe(201);
    const plans = await olga.get('/api/plans');
    expect(plans.body).toHaveLength(1);
    const planId: string = plans.body[0].id;
    const registry = await olga.get(`/api/plans/${planId}/recommendations`);
    expect(registry.status).toBe(200);
    expect(JSON.stringify(registry.body)).toContain('death penalty');

    // The export worker thread, compiled too, with the PDF's embedded fonts.
    const { bytes } = await exportPlan({ url: server.url } as TestServer, olga, planId, 'pdf');
    expect(squash(await exportText('pdf', bytes))).toContain(squash('National Human Rights Plan — Belarus 2026–2030'));
    // The matrix's linked tables zip their CSVs with jszip, a runtime dependency of the compiled server too.
    const tables = await exportPlan({ url: server.url } as TestServer, olga, planId, 'matrix-tables-zip');
    expect(Object.keys((await JSZip.loadAsync(tables.bytes)).files).sort()).toEqual(['actions.csv', 'indicators.csv', 'links.csv', 'recommendations.csv']);

    // An import's file is read in the compiled import worker.
    const preview = await uploadImport(olga, planId, 'recs.json', toAccordJson([sampleRecommendation(1)]));
    expect(preview.status, JSON.stringify(preview.body).slice(0, 300)).toBe(200);
    expect(preview.body.counts).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 0 });
  });

  it('renders a progress report in its own compiled worker, chart included', async () => {
    const server = await startCompiled();
    const m = await monitoredPlan(server);
    await submitReport(m, { status: 'in_progress', values: [{ indicatorId: m.indicatorId, value: 20, date: '2026-03-01', source: 'Judicial academy' }] });
    const res = await fetch(`${server.url}${m.p}/rounds/${m.roundId}/progress-report?format=pdf`, { headers: { cookie: m.observer.client.cookie! } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status, bytes.toString('utf8', 0, 300)).toBe(200);
    expect(bytes.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    expect(squash(await exportText('pdf', bytes))).toContain(squash('Train judges on the prohibition of torture'));
  });
});

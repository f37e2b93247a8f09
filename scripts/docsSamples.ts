/**
 * `npm run docs:samples`: regenerates docs/samples/, the exports of the Belarus sample plan a
 * reader can open to see what Accord produces, and page images of them for docs/exports.md.
 *
 * It starts a real Accord server on a temporary folder, sets it up with the sample plan (chapters,
 * sections and Belarus's first-cycle UPR recommendations), then, through the same REST API the
 * app uses: adds lead agencies and a civil-society organisation, an action with indicators and
 * linked recommendations in several sections (one left without an indicator, to show how a draft
 * flags it), has both sides sign most sections, and exports every format — agreed sections only,
 * and the current draft. DOCX pages are drawn through LibreOffice, PDF pages with pdftoppm.
 *
 * Needs LibreOffice (`soffice`, Debian: libreoffice-writer-nogui) and poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/server.ts';
import { ApiClient } from '../tests/helpers/api.ts';
import { ExportFormatSchema, type PlanOutline } from '../shared/api/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'samples');
const PAGES = join(OUT, 'pages');

function need(command: string, debianPackage: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`docs:samples needs ${command}: install the Debian package ${debianPackage}.`);
  }
}

async function call<T = any>(client: ApiClient, method: string, path: string, body?: unknown): Promise<T> {
  const res = await client.request<T>(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The actions the sample gets, by section title: what a ministry and an NGO might agree on. */
const ACTIONS: Array<{
  section: string;
  title: string;
  lead: string;
  end: string;
  budget?: number;
  indicators: Array<{ type: 'structural' | 'process' | 'outcome'; description: string; unit?: string; baseline?: string; target?: string; source?: string; frequency?: string; disaggregation?: string[] }>;
}> = [
  {
    section: 'Moratorium and abolition',
    title: 'Introduce a moratorium on executions and publish death-penalty statistics',
    lead: 'Ministry of Justice',
    end: '2027',
    indicators: [
      { type: 'structural', description: 'Moratorium in force by law', baseline: 'no', target: 'yes', source: 'National Legal Internet Portal', frequency: 'once' },
      { type: 'outcome', description: 'Death sentences handed down', unit: 'sentences per year', baseline: '2', target: '0', source: 'Supreme Court statistics', frequency: 'annual' },
    ],
  },
  {
    section: 'Prevention of torture and ill-treatment',
    title: 'Establish an independent mechanism to visit places of detention',
    lead: 'Ministry of Internal Affairs',
    end: '2028',
    budget: 450000,
    indicators: [
      { type: 'structural', description: 'Visiting mechanism established by law', baseline: 'no', target: 'yes', frequency: 'once' },
      { type: 'process', description: 'Unannounced visits made', unit: 'visits per year', baseline: '0', target: '60', source: 'Mechanism annual report', frequency: 'annual', disaggregation: ['type of facility', 'region'] },
      { type: 'outcome', description: 'Complaints of ill-treatment investigated within 30 days', unit: '%', baseline: '35', target: '90', source: 'Prosecutor General', frequency: 'annual', disaggregation: ['sex', 'age'] },
    ],
  },
  {
    section: 'Administration of justice',
    title: 'Train judges and lawyers on fair-trial standards',
    lead: 'Ministry of Justice',
    end: '2027-Q4',
    budget: 120000,
    indicators: [
      { type: 'process', description: 'Judges trained on fair-trial standards', unit: 'judges', baseline: '10', target: '200', source: 'Training registry', frequency: 'annual', disaggregation: ['sex', 'court level'] },
    ],
  },
  {
    section: 'Freedom of expression and of the media',
    title: 'Review the Law on Mass Media with journalists’ associations',
    lead: 'Ministry of Information',
    end: '2027',
    indicators: [
      { type: 'structural', description: 'Amendments submitted to Parliament', baseline: 'no', target: 'yes', frequency: 'once' },
      { type: 'outcome', description: 'Journalists detained in connection with their work', unit: 'persons', baseline: '33', target: '0', source: 'Civil-society monitoring', frequency: 'quarterly' },
    ],
  },
  {
    section: 'Human rights defenders',
    title: 'Repeal the criminal liability for activities of unregistered organisations',
    lead: 'Ministry of Justice',
    end: '2026-Q4',
    indicators: [],
  },
  {
    section: 'Rights of the child',
    title: 'Set up child-friendly complaint procedures in schools',
    lead: 'Ministry of Education',
    end: '2029',
    budget: 80000,
    indicators: [
      { type: 'process', description: 'Schools with a complaint procedure', unit: '%', baseline: '5', target: '100', source: 'Ministry of Education', frequency: 'annual', disaggregation: ['region'] },
    ],
  },
];

async function main(): Promise<void> {
  need('soffice', 'libreoffice-writer-nogui');
  need('pdftoppm', 'poppler-utils');
  need('pdftotext', 'poppler-utils');
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-samples-'));
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
    clientDir: join(dataDir, 'no-client'),
  });
  try {
    const olga = new ApiClient(server.url);
    await call(olga, 'POST', '/api/setup', {
      name: 'Olga Coordinator',
      email: 'olga@mfa.example',
      password: 'correct horse battery staple',
      organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
      loadSample: true,
    });
    const planId = (await call<Array<{ id: string }>>(olga, 'GET', '/api/plans'))[0]!.id;
    const p = `/api/plans/${planId}`;

    // Civil society joins through an invite, and the coordinator verifies its organisation.
    const invite = await call(olga, 'POST', `${p}/invites`, { role: 'drafter' });
    const nina = new ApiClient(server.url);
    await call(nina, 'POST', `/api/invites/${invite.token}/accept`, {
      account: { name: 'Nina Lawyer', email: 'nina@rights.example', password: 'another long passphrase', organisation: { name: 'Human Rights Centre', side: 'civil_society' } },
    });
    const ngoOrg = (await call(nina, 'GET', '/api/auth/me')).organisation.id as string;
    await call(olga, 'POST', `${p}/organisations/${ngoOrg}/verification`, {});

    const agencies = new Map<string, string>();
    const agency = async (name: string) => {
      if (!agencies.has(name)) agencies.set(name, (await call(olga, 'POST', `${p}/organisations`, { name, side: 'government' })).id);
      return agencies.get(name)!;
    };
    const outline = await call<PlanOutline>(olga, 'GET', p);
    const sections = outline.chapters.flatMap((c) => c.sections);
    for (const a of ACTIONS) {
      const section = sections.find((s) => s.title === a.section);
      if (!section) throw new Error(`The sample plan has no section "${a.section}".`);
      // The recommendations matching the section come first in its relevance order.
      const recs = await call(olga, 'GET', `${p}/recommendations?section=${section.id}&sort=relevance&limit=3`);
      const action = await call(olga, 'POST', `${p}/sections/${section.id}/actions`, {
        title: a.title,
        leadAgencyId: await agency(a.lead),
        civilSocietyPartnerIds: [ngoOrg],
        start: '2026',
        end: a.end,
        ...(a.budget ? { budgetAmount: a.budget, currency: 'EUR', fundingSource: 'State budget' } : {}),
        recommendationIds: recs.items.map((r: { id: string }) => r.id),
      });
      for (const i of a.indicators) {
        await call(olga, 'POST', `${p}/actions/${action.id}/indicators`, {
          type: i.type,
          description: i.description,
          unit: i.unit ?? null,
          baselineValue: i.baseline ?? null,
          baselineYear: i.baseline ? 2025 : null,
          targetValue: i.target ?? null,
          targetYear: i.target ? 2030 : null,
          dataSource: i.source ?? null,
          frequency: i.frequency ?? null,
          disaggregation: i.disaggregation ?? [],
        });
      }
    }

    // Both sides sign every section but the last three of the plan, which stay in drafting.
    for (const s of sections.slice(0, -3)) {
      const path = `${p}/sections/${s.id}`;
      const { currentHash } = await call(olga, 'GET', `${path}/agreement`);
      await call(olga, 'POST', `${path}/signoffs`, { contentHash: currentHash });
      await call(nina, 'POST', `${path}/signoffs`, { contentHash: currentHash });
    }

    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(PAGES, { recursive: true });
    const written: string[] = [];
    for (const scope of ['agreed', 'current'] as const) {
      for (const format of ExportFormatSchema.options) {
        // The matrix lists every action whatever the scope: one copy, of the current draft.
        if (format.startsWith('matrix') && scope === 'agreed') continue;
        const job = await call(olga, 'POST', `${p}/exports`, { format, scope, language: 'en' });
        let state = job;
        for (const deadline = Date.now() + 120_000; state.state !== 'done'; ) {
          if (state.state === 'failed' || Date.now() > deadline) throw new Error(`The ${format} export did not finish: ${JSON.stringify(state)}`);
          await new Promise((r) => setTimeout(r, 200));
          state = await call(olga, 'GET', `${p}/exports/${job.id}`);
        }
        const res = await fetch(`${server.url}${p}/exports/${job.id}/file`, { headers: { cookie: olga.cookie! } });
        const ext = /\.[a-z]+$/.exec(state.filename)?.[0] ?? '';
        // agreed.pdf, current.docx…; matrix.csv, matrix.xlsx and so on for the matrix shapes.
        const name = format.startsWith('matrix') ? `${format.replace(/-(csv|xlsx|zip)$/, '')}${ext}` : `${scope}${ext}`;
        writeFileSync(join(OUT, name), Buffer.from(await res.arrayBuffer()));
        written.push(name);
      }
    }
    console.log(`docs/samples: ${written.join(', ')}`);

    // Page images of the agreed export: title, contents, the first action table and the annex.
    const docxPdf = toPdf(join(OUT, 'agreed.docx'));
    pageImages(join(OUT, 'agreed.pdf'), 'pdf');
    pageImages(docxPdf, 'docx');
    rmSync(dirname(docxPdf), { recursive: true, force: true });
    console.log(`docs/samples/pages: ${readdirSync(PAGES).sort().join(', ')}`);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The DOCX as LibreOffice lays it out, as a PDF in a temporary folder. */
function toPdf(docx: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-samples-docx-'));
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], { stdio: 'ignore', timeout: 180_000 });
  const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf'));
  if (!pdf) throw new Error('LibreOffice made no PDF of the DOCX.');
  return join(dir, pdf);
}

/** Pages 1–2, the first page with an action, and the first page of the implementation annex, as PNG. */
function pageImages(pdf: string, stem: string): void {
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\f');
  const first = (pattern: RegExp) => pages.findIndex((text, i) => i > 1 && pattern.test(text)) + 1;
  const wanted: Array<[string, number]> = [
    ['1-title', 1],
    ['2-contents', 2],
    ['3-action', first(/Action \d+:/)],
    ['4-implementation-annex', first(/Implementation plan/)],
  ];
  for (const [label, page] of wanted) {
    if (page < 1) {
      console.warn(`${stem}: no page for ${label}`);
      continue;
    }
    const base = join(PAGES, `${stem}-${label}`);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(page), '-l', String(page), '-singlefile', pdf, base]);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * The public record over HTTP, as anyone on the internet meets it: the published plan's pages with
 * no account and no cookie, a strict Content-Security-Policy, hostile text inert, no member's name
 * or e-mail in any response, and nothing reachable that is not the publication in force.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ok } from '../helpers/exportPlan.ts';
import type { ApiClient } from '../helpers/api.ts';
import { HOSTILE, publishedPlan, type PublishedPlan } from '../helpers/publicRecord.ts';
import { PUBLIC_CSP } from '../../server/public/router.tsx';
import { DATASETS } from '../../server/public/openData.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';

let server: TestServer;
let plan: PublishedPlan;

beforeAll(async () => {
  server = await startTestServer();
  plan = await publishedPlan(server, { hostile: true });
});
afterAll(async () => {
  await server.destroy();
});

/** Another plan of the same coordinator, with one chapter and section, not published. */
async function otherPlan(coordinator: ApiClient, title = 'Regional human rights plan 2027–2029') {
  const created = await ok(coordinator.post('/api/plans', { title, country: 'Belarus', periodStart: 2027, periodEnd: 2029 }), 201);
  return { planId: created.id as string, p: `/api/plans/${created.id}` };
}

const get = async (path: string, on: { url: string } = server) => {
  const res = await fetch(on.url + path, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/** Every public address of the plan: its pages, each recommendation's page, each round, the data. */
async function publicAddresses(of: PublishedPlan = plan): Promise<string[]> {
  const base = `/p/${of.slug}`;
  const recs = (await ok(of.coordinator.get(`/api/plans/${of.planId}/recommendations`))).items as Array<{ id: string }>;
  return [
    base,
    `${base}/actions`,
    `${base}/actions?q=judges&status=in_progress`,
    `${base}/recommendations`,
    `${base}/recommendations?mechanism=UPR`,
    ...recs.map((r) => `${base}/recommendations/${r.id}`),
    `${base}/progress`,
    `${base}/progress?round=${of.roundId}`,
    `${base}/data`,
    `${base}/data/snapshot.json`,
    ...DATASETS.flatMap((d) => [`${base}/data/${d.name}.csv`, `${base}/data/${d.name}.json`]),
  ];
}

describe('the published plan, without an account', () => {
  it('serves every page as HTML with the plan, no cookie, and the strict policy', async () => {
    for (const path of await publicAddresses()) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(PUBLIC_CSP);
      expect(res.headers.get('set-cookie'), path).toBeNull();
      expect(res.headers.get('etag'), path).toBeTruthy();
    }
    const home = await get(`/p/${plan.slug}`);
    expect(home.text).toContain('Adopted plan');
    expect(home.text).toContain('Decree No. 12 on the National Human Rights Plan');
    expect(home.text).toContain(plan.hash);
    expect(home.text).toContain('Human Rights Centre'); // a signing organisation
    expect(home.text).toContain('We do not agree that training is enough'); // the dissenting position
    const progress = await get(`/p/${plan.slug}/progress`);
    expect(progress.text).toContain('Government report');
    expect(progress.text).toContain('Partially implemented'); // civil society's rating beside it
    expect(progress.text).toMatch(/<svg[^>]*role="img"/); // the indicator's chart
    expect(progress.text).toContain('Observed 35 judges (30 June 2026)'); // its text alternative
  });

  it('offers every dataset as CSV and JSON, with the ids of the plan', async () => {
    const data = await get(`/p/${plan.slug}/data`);
    for (const d of DATASETS) expect(data.text).toContain(`href="/p/${plan.slug}/data/${d.name}.csv"`);
    const csv = await fetch(`${server.url}/p/${plan.slug}/data/actions.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*-actions-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(await csv.text()).toContain(plan.actionId);
    const json = JSON.parse((await get(`/p/${plan.slug}/data/observations.json`)).text);
    expect(json.rows).toEqual([expect.objectContaining({ indicator_id: plan.indicatorId, value: 35, date: '2026-06-30' })]);
  });

  it('sends pages gzipped to browsers that accept it, and whole to those that do not', async () => {
    const zipped = await fetch(`${server.url}/p/${plan.slug}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const text = await zipped.text(); // fetch inflates it
    const plain = await fetch(`${server.url}/p/${plan.slug}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(text);
  });

  it('answers a repeated request with 304 when nothing changed', async () => {
    const first = await get(`/p/${plan.slug}`);
    const again = await fetch(`${server.url}/p/${plan.slug}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves the snapshot whose sha256 every page prints', async () => {
    const { createHash } = await import('node:crypto');
    const res = await fetch(`${server.url}/p/${plan.slug}/data/snapshot.json`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(plan.hash);
  });

  it("never shows a member's e-mail address or name", async () => {
    const members = (await ok(plan.coordinator.get(`/api/plans/${plan.planId}/members`))) as Array<{ name: string; email: string }>;
    const list = Array.isArray(members) ? members : ((members as unknown as { items: Array<{ name: string; email: string }> }).items ?? []);
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const path of await publicAddresses()) {
      const { text } = await get(path);
      for (const m of list) {
        expect(text, `${m.email} in ${path}`).not.toContain(m.email);
        expect(text, `${m.name} in ${path}`).not.toContain(m.name);
      }
    }
  });

  it('renders hostile text from every field as text', async () => {
    for (const path of await publicAddresses()) {
      const { text } = await get(path);
      // Data files are downloads, not pages (their own escaping is tested in tests/unit/open-data.test.ts).
      if (/\.(json|csv)$/.test(path)) continue;
      // No element but the page's own, and no event-handler attribute on any of them.
      expect(text, path).not.toMatch(/<script|<img|<[a-z][^>]*\son[a-z]+=/i);
    }
    const home = await get(`/p/${plan.slug}`);
    expect(home.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(HOSTILE).toContain('<script>');
  });
});

describe('nothing unpublished is reachable', () => {
  it('an unknown slug, a malformed one, an id of another plan and an unknown page answer 404', async () => {
    const other = await otherPlan(plan.coordinator);
    const otherRec = await ok(
      plan.coordinator.post(`${other.p}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Ratify the Optional Protocol.' }),
      201,
    );
    const guesses = [
      '/p/nope',
      '/p/NOPE',
      '/p/..%2F..%2Fapi',
      `/p/${plan.slug}-2`,
      `/p/${plan.planId}`,
      `/p/${other.planId}`,
      `/p/${plan.slug}/recommendations/${otherRec.id}`,
      `/p/${plan.slug}/recommendations/${plan.planId}`,
      `/p/${plan.slug}/progress?round=${plan.planId}`,
      `/p/${plan.slug}/sections`,
      `/p/${plan.slug}/data/nope.csv`,
      '/p',
    ];
    for (const path of guesses) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain(plan.hash);
    }
  });

  it('after unpublishing, every address answers 404, and publishing again serves the new snapshot only', async () => {
    // A server of its own: the shared plan stays published for the other tests.
    const own = await startTestServer();
    try {
    const second = await publishedPlan(own);
    const addresses = await publicAddresses(second);
    await ok(second.coordinator.delete(`/api/plans/${second.planId}/publication`));
    for (const path of addresses) expect((await get(path, own)).status, path).toBe(404);

    const again = await ok(second.coordinator.post(`/api/plans/${second.planId}/publication`, {}), 201);
    expect(again.slug).toBe(second.slug);
    expect(again.current.hash).not.toBe(second.hash); // a new snapshot, with its own date
    expect(again.history.map((h: { endedReason: string | null }) => h.endedReason)).toEqual([null, 'unpublished']);
    const home = await get(`/p/${second.slug}`, own);
    expect(home.text).toContain(again.current.hash);
    expect(home.text).not.toContain(second.hash);
    } finally {
      await own.destroy();
    }
  });
});

describe('publishing', () => {
  it('a draft is published for consultation, marked as such, with no progress tab', async () => {
    const { p } = await otherPlan(plan.coordinator, 'Draft plan on the rights of persons with disabilities');
    const draft = { coordinator: plan.coordinator };
    const state = await ok(draft.coordinator.get(`${p}/publication`));
    expect(state).toMatchObject({ slug: null, nextKind: 'consultation', current: null, history: [] });
    expect((await draft.coordinator.post(`${p}/publication`, {})).status).toBe(400); // the address is needed first
    const published = await ok(draft.coordinator.post(`${p}/publication`, { slug: 'draft-for-comment' }), 201);
    expect(published.current.kind).toBe('consultation');
    const home = await get('/p/draft-for-comment');
    expect(home.text).toContain('Draft for public consultation');
    // Its data says so too, wherever a file travels.
    const data = await fetch(`${server.url}/p/draft-for-comment/data/actions.csv`);
    expect(data.headers.get('content-disposition')).toContain('draft-for-comment-consultation-draft-actions-');
    const json = JSON.parse((await get('/p/draft-for-comment/data/sections.json')).text);
    expect(json.publication).toBe('draft for public consultation (not an adopted plan)');
    const progress = await get('/p/draft-for-comment/progress');
    expect(progress.text).toContain('progress is reported once the plan is adopted');
    expect(progress.text).not.toContain('href="/p/draft-for-comment/progress"'); // no tab for it
  });

  it("an address belongs to one plan: another plan cannot take it, and a plan keeps its own", async () => {
    const { p } = await otherPlan(plan.coordinator, 'Plan of another ministry');
    const other = { coordinator: plan.coordinator };
    const taken = await other.coordinator.post(`${p}/publication`, { slug: plan.slug });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slug_taken');
    expect((await other.coordinator.post(`${p}/publication`, { slug: 'Not A Slug!' })).status).toBe(400);
    await ok(other.coordinator.post(`${p}/publication`, { slug: 'other-plan' }), 201);
    expect((await other.coordinator.post(`${p}/publication`, { slug: 'other-plan-renamed' })).status).toBe(400);
  });

  it('publishing and unpublishing are in the audit log, attributed', async () => {
    const audit = await ok(plan.coordinator.get(`/api/plans/${plan.planId}/audit?action=plan.published`));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0].actorName).toBe('Olga Coordinator');
    expect(audit.items[0].details.hash).toBe(plan.hash);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});

describe('the language of the public record', () => {
  const fetchIn = async (path: string, acceptLanguage?: string) => {
    const res = await fetch(server.url + path, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  it('takes ?lang over the browser’s languages, and the browser’s first of be/ru/en otherwise, varying by them', async () => {
    const home = `/p/${plan.slug}`;
    const fromHeader = await fetchIn(home, 'de-DE,ru;q=0.9,en;q=0.8');
    expect(fromHeader.text).toContain('<html lang="ru">');
    expect(fromHeader.text).toContain('Утверждённый план');
    expect(fromHeader.headers.get('vary')).toContain('Accept-Language');

    const asked = await fetchIn(`${home}?lang=be`, 'ru,en');
    expect(asked.text).toContain('<html lang="be">');
    expect(asked.text).toContain('Зацверджаны план');
    expect(asked.headers.get('vary')).not.toContain('Accept-Language');
    // Links inside the record keep the language asked for.
    expect(asked.text).toContain(`href="${home}/actions?lang=be"`);

    const english = await fetchIn(home, 'fr');
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('Adopted plan');

    const missing = await fetchIn(`${home}/no-such-page`, 'be');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<html lang="be">');
  });

  it('never serves one language’s cached page for another', async () => {
    const path = `/p/${plan.slug}/recommendations?mechanism=UPR`;
    const pages = [];
    // Each language twice, in turn, so every second request is answered from the cache.
    for (const lang of ['en', 'ru', 'be', 'en', 'ru', 'be'] as const) pages.push({ lang, res: await fetchIn(path, lang) });
    for (const { lang, res } of pages) {
      expect(res.text, lang).toContain(`<html lang="${lang}">`);
      expect(res.text, lang).toContain({ en: 'Any theme', ru: 'Любая тема', be: 'Любая тэма' }[lang]);
    }
    const etags = new Set(pages.map((p) => p.res.headers.get('etag')));
    expect(etags.size).toBe(3);
    // The language in the address and the same language from the header: one cached for each, with and without ?lang in the links.
    const viaQuery = await fetchIn(`${path}&lang=ru`, 'en');
    expect(viaQuery.text).toContain('<html lang="ru">');
    expect(viaQuery.text).toContain('<input type="hidden" name="lang" value="ru"/>');
    expect(pages[1]!.res.text).not.toContain('name="lang"');
  });

  it('serves the open data files the same in every language: machine field names, no Vary on the language', async () => {
    for (const file of ['actions.csv', 'recommendations.json', 'snapshot.json']) {
      const [en, ru] = [await fetchIn(`/p/${plan.slug}/data/${file}`, 'en'), await fetchIn(`/p/${plan.slug}/data/${file}?lang=ru`, 'be')];
      expect(ru.text, file).toBe(en.text);
      expect(ru.headers.get('etag'), file).toBe(en.headers.get('etag'));
      expect(en.headers.get('vary'), file).not.toContain('Accept-Language');
    }
  });
});

describe('a report corrected after submission', () => {
  it('shows the first version beside the correction, on the page and in the open data', async () => {
    const own = await startTestServer();
    try {
      const corrected = await publishedPlan(own, { correct: true, slug: 'corrected-report' });
      const get = async (path: string) => {
        const res = await fetch(own.url + path);
        return { status: res.status, text: await res.text() };
      };
      const page = await get(`/p/${corrected.slug}/progress`);
      expect(page.status).toBe(200);
      const section = page.text.slice(page.text.indexOf('data-testid="public-report-corrected"'));
      expect(section).toContain('Corrected after submission. As first submitted:');
      expect(section).toContain('In progress');
      expect(section).toContain('Two courses held');
      expect(page.text).toContain('Four courses held');
      const rows = JSON.parse((await get(`/p/${corrected.slug}/data/reports.json`)).text).rows;
      expect(rows).toEqual([expect.objectContaining({ status: 'completed', spent_amount: 15000.75, corrects: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*: in_progress$/) })]);
      // Each language says so in its own words.
      expect((await get(`/p/${corrected.slug}/progress?lang=ru`)).text).toContain('Исправлен после представления');
      expect((await get(`/p/${corrected.slug}/progress?lang=be`)).text).toContain('Выпраўлены пасля падачы');
    } finally {
      await own.destroy();
    }
  });
});

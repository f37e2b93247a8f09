/**
 * A plan exported in Russian or Belarusian, of a saved version or of the current draft of a plan
 * that has saved versions, names the version as a reader knows it: its name and when it was saved,
 * in the export's language, never its id. The title page of the current draft said "newest saved
 * version: «Согласованный текст» (версия K_YFD9qK9-v7Z3z2ekJodw, …)", the same in the provenance
 * annex, in every format. The provenance annex is in the export's language too, but for the lines
 * the signatures cover and their markers: they are the same in every language (their labels in
 * English) so that the hash can be recomputed from any export, and the annex says so; the test
 * recomputes it from a Russian and a Belarusian DOCX.
 *
 * The plan's own text is Russian here, so that what English is left is the export's own.
 */
import JSZip from 'jszip';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { docxParagraphs, extractCanonicalBlocks } from '../../server/export/extract.ts';
import { annexHeading } from '../../server/export/annexes.ts';
import { CATALOGUES, exportWords } from '../../server/export/i18n/index.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { exportPlan, ok, writeSection } from '../helpers/exportPlan.ts';
import { readPdfLayout, requirePoppler } from '../helpers/pdfLayout.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

type Lang = 'ru' | 'be';
type Format = 'pdf' | 'docx' | 'html' | 'md';
const FORMATS: Format[] = ['pdf', 'docx', 'html', 'md'];

const VERSION_NAME = 'Перед общественным обсуждением';
const CHAPTER = 'Правосудие';
const SECTION = 'Независимость судей';
/** The plan's own words in English that the exports print as written. */
const OWN = ['National Human Rights Plan 2026–2030', 'Belarus', 'Olga Coordinator', 'Ministry of Foreign Affairs'];

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let group: { groupId: string; name: string; createdAt: string; createdBy: string };
/** Every saved version's id and group id: none is for a reader. */
let ids: string[];
/** The version the section got when it was agreed: the newest. */
let signoffVersion: { createdAt: string };
let agreedHash: string;

beforeAll(async () => {
  requirePoppler('pdftotext');
  server = await startTestServer();
  let chapterId: string;
  ({ coordinator, planId, sectionId, chapterId } = await setUpWorkspace(server));
  const base = `/api/plans/${planId}`;
  await ok(coordinator.patch(`${base}/chapters/${chapterId}`, { title: CHAPTER }));
  await ok(coordinator.patch(`${base}/sections/${sectionId}`, { title: SECTION }));
  await writeSection(server, planId, sectionId, {
    heading: 'Назначение судей',
    paragraph: 'Судьи назначаются по итогам открытого конкурса.',
    link: 'https://www.ohchr.org/',
    bullets: ['Публиковать вакансии'],
    numbered: ['Изменить кодекс'],
    table: [
      ['Орган', 'Роль'],
      ['Судейский совет', 'Отбор'],
    ],
  });
  const ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Наталля Праваабаронца',
      email: 'natallia@viasna.example',
      organisation: { name: 'Праваабарончы цэнтр «Вясна»', side: 'civil_society' },
    })
  ).client;
  // A version of the whole plan, then the section agreed (which saves the section's own version).
  group = await ok(coordinator.post(`${base}/versions`, { name: VERSION_NAME }));
  const at = `${base}/sections/${sectionId}`;
  const { currentHash } = await ok(coordinator.get(`${at}/agreement`));
  await ok(coordinator.post(`${at}/signoffs`, { contentHash: currentHash }));
  const agreed = await ok(ngo.post(`${at}/signoffs`, { contentHash: currentHash }));
  expect(agreed.status).toBe('agreed');
  agreedHash = agreed.agreedHash;
  // The agreed text is kept as a version once the section is agreed, after the sign-off's answer
  // (registerVersionHooks): on PostgreSQL that write can still be under way here, so wait for it.
  // Only the last one's time is read: versions saved in the same millisecond share it, so the id
  // is as good a tie-break as the order they were written in.
  const versions = await eventually(async () => {
    const all = await server.sql.rows(
      z.object({ id: z.string(), groupId: z.string().nullable(), createdAt: z.string() }),
      sql`SELECT id, group_id AS "groupId", created_at AS "createdAt" FROM versions WHERE plan_id = ${planId} ORDER BY created_at, id`,
    );
    expect(all.length).toBeGreaterThanOrEqual(2);
    return all;
  });
  ids = [...new Set(versions.flatMap((v) => [v.id, v.groupId ?? []].flat()))];
  expect(ids).toContain(group.groupId);
  signoffVersion = versions[versions.length - 1]!;
}, 90_000);

afterAll(async () => {
  await server?.destroy();
});

// ---- Reading an export ------------------------------------------------------------------------

const squash = (s: string) => s.replace(/\s+/g, '');
const decode = (s: string) =>
  s.replace(/&(lt|gt|quot|#39|amp);/g, (_, n: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[n]!);

interface Read {
  /** All a reader reads, in order. */
  text: string;
  /** The title page: from the start to the contents. */
  title: string;
}

async function read(format: Format, bytes: Buffer, lang: Lang): Promise<Read> {
  const contents = CATALOGUES[lang].document.contents;
  if (format === 'pdf') {
    const pages = readPdfLayout(bytes).map((p) => p.lines.map((l) => l.text).join('\n'));
    return { text: pages.join('\n'), title: pages[0]! };
  }
  if (format === 'docx') {
    const zip = await JSZip.loadAsync(bytes);
    const parts = Object.keys(zip.files).filter((n) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(n));
    const paras = (await Promise.all(parts.map(async (n) => docxParagraphs(await zip.file(n)!.async('string'))))).flat();
    const body = docxParagraphs(await zip.file('word/document.xml')!.async('string'));
    return { text: paras.join('\n'), title: body.slice(0, body.indexOf(contents)).join('\n') };
  }
  if (format === 'html') {
    const html = bytes.toString('utf8').replace(/<style>[\s\S]*?<\/style>/, '');
    const text = (h: string) => decode(h.replace(/<br>/g, '\n').replace(/<\/(p|h\d|li|tr|div)>/g, '\n').replace(/<[^>]+>/g, ' '));
    return { text: text(html), title: text(/<header class="title">([\s\S]*?)<\/header>/.exec(html)![1]!) };
  }
  const md = bytes.toString('utf8').replace(/\\(.)/g, '$1');
  return { text: md, title: md.slice(0, md.indexOf(`## ${contents}`)) };
}

/** The provenance annex (Annex B), without the lines the signatures cover and their markers. */
function provenanceAnnex(text: string, lang: Lang): string {
  const words = exportWords(lang);
  const b = annexHeading({ title: words.w.document.annexB }, -1, words);
  const c = annexHeading({ title: words.w.reservations.title }, 0, words);
  // The last mention of each: the contents list them too.
  const flat = text.replace(/\s+/g, ' ');
  const from = flat.lastIndexOf(b);
  const to = flat.indexOf(c.split(' ').slice(0, 2).join(' '), from + b.length);
  expect(from, `Annex B "${b}"`).toBeGreaterThan(0);
  expect(to, `Annex C "${c}" after Annex B`).toBeGreaterThan(from);
  const annex = flat.slice(from, to).replace(/\[begin (?:un)?signed content [^\]]*\][\s\S]*?\[end (?:un)?signed content [^\]]*\]/g, ' ');
  // What is left is the annex's own words: its labels, and the note on the markers.
  expect(annex).toContain(words.w.provenance.madeFrom);
  expect(annex).toContain(words.w.provenance.exportedHash.split(' ')[0]);
  return annex;
}

/** The English of the export's words that a `lang` export must not print: each English string's words, split at its placeholders. */
function englishFragments(lang: Lang): string[] {
  const flat = (o: object, out: Record<string, string> = {}, prefix = ''): Record<string, string> => {
    for (const [k, v] of Object.entries(o)) typeof v === 'string' ? (out[prefix + k] = v) : flat(v as object, out, `${prefix}${k}.`);
    return out;
  };
  const en = flat(CATALOGUES.en);
  const own = flat(CATALOGUES[lang]);
  const fragments = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    if (own[key] === value) continue;
    for (const part of value.split(/\{\w+\}|\n/)) {
      const text = part.trim().replace(/^[\s,.:;–—()·"“”'‘’]+|[\s,.:;–—()·"“”'‘’]+$/g, '');
      if (/[A-Za-z]{3,}/.test(text) && text.replace(/[^A-Za-z]/g, '').length >= 4) fragments.add(text);
    }
  }
  return [...fragments];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function englishIn(text: string, lang: Lang): string[] {
  let rest = text;
  for (const words of OWN) rest = rest.split(words).join(' ');
  return englishFragments(lang).filter((f) => new RegExp(`(^|[^A-Za-z])${escape(f)}($|[^A-Za-z])`).test(rest));
}

// ---- The checks ---------------------------------------------------------------------------------

describe.each<Lang>(['ru', 'be'])('exports in %s', (lang) => {
  const words = exportWords(lang);
  const m = words.w.madeFrom;

  it('(the check finds the English of the annex\'s labels where there is some)', () => {
    const en = CATALOGUES.en.provenance;
    expect(englishIn(`${en.madeFrom}: …; ${en.exportedHash}: …`, lang)).toEqual(expect.arrayContaining([en.madeFrom, en.exportedHash]));
  });

  describe.each(FORMATS)('%s', (format) => {
    it('of a saved version: the title page names the version and when it was saved, no id; the provenance annex is in the language', async () => {
      const { bytes } = await exportPlan(server, coordinator, planId, format, 'current', lang, { versionGroupId: group.groupId });
      const { text, title } = await read(format, bytes, lang);
      for (const id of ids) expect(text, `${format} ${lang}: id ${id}`).not.toContain(id);
      expect(squash(title)).toContain(squash(words.t(m.versionLine, { name: VERSION_NAME, time: words.time(group.createdAt), person: group.createdBy })));
      expect(englishIn(provenanceAnnex(text, lang), lang), `${format} ${lang}: English in the provenance annex`).toEqual([]);
    });

    it('of the current draft: the newest saved version by its name, what it holds and when, no id; the provenance annex is in the language', async () => {
      const { bytes } = await exportPlan(server, coordinator, planId, format, 'current', lang);
      const { text, title } = await read(format, bytes, lang);
      for (const id of ids) expect(text, `${format} ${lang}: id ${id}`).not.toContain(id);
      const newest = words.t(m.newestVersion, {
        name: words.w.versionNames.signoff,
        ref: words.t(m.oneSection, { section: SECTION }),
        time: words.time(signoffVersion.createdAt),
      });
      expect(squash(title)).toContain(squash(newest));
      expect(englishIn(provenanceAnnex(text, lang), lang), `${format} ${lang}: English in the provenance annex`).toEqual([]);
    });
  });

  it('the lines the signatures cover stay as signed: their hash recomputed from the DOCX is the agreed one', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'docx', 'agreed', lang);
    const paras = docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string'));
    const lines = extractCanonicalBlocks(paras, { signedOnly: true }).get(sectionId);
    expect(lines).toBeDefined();
    expect(hashLines(lines!)).toBe(agreedHash);
  });
});

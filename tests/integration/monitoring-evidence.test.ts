import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember } from '../helpers/workspace.ts';
import { adoptedPlan, type AdoptedPlan } from '../helpers/monitoring.ts';
import { EvidenceSchema, ProgressReportSchema } from '../../shared/api/index.ts';

/**
 * Evidence for a progress report: files are checked by their bytes, kept under DATA_DIR with a
 * name of Accord's choosing, size-limited, and served to the plan's members only, as downloads a
 * browser neither runs nor renders.
 */
let server: TestServer;
let plan: AdoptedPlan;
let reportId: string;

async function setUp(env?: Record<string, string>) {
  server = await startTestServer(env ? { env } : {});
  plan = await adoptedPlan(server);
  const res = await plan.ministry.client.post(`/api/plans/${plan.planId}/rounds/${plan.roundId}/actions/${plan.actionId}/reports`, {
    status: 'in_progress',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  reportId = res.body.id;
}
afterEach(async () => {
  await server.destroy();
});

const p = () => `/api/plans/${plan.planId}`;

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** A minimal one-page PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** The start of a Windows executable. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');

async function upload(client: ApiClient | null, name: string, bytes: Uint8Array, id = reportId) {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', origin: server.url };
  if (client?.cookie) headers.cookie = client.cookie;
  const res = await fetch(`${server.url}${p()}/reports/${id}/evidence?name=${encodeURIComponent(name)}`, { method: 'POST', headers, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(client: ApiClient | null, evidenceId: string) {
  const res = await fetch(`${server.url}${p()}/evidence/${evidenceId}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const storedFiles = () => {
  try {
    return readdirSync(join(server.dataDir, 'evidence', plan.planId));
  } catch {
    return [];
  }
};

async function reportEvidence() {
  const list = (await plan.coordinator.get(`${p()}/rounds/${plan.roundId}/reports`)).body.map((r: unknown) => ProgressReportSchema.parse(r));
  return list.find((r: { id: string }) => r.id === reportId)!.evidence;
}

describe('uploads', () => {
  beforeEach(() => setUp());

  it('accepts a PDF and a PNG, stores them under DATA_DIR with names of Accord’s own, and serves them to members with safe headers', async () => {
    const pdf = await upload(plan.ministry.client, 'Training report 2026.pdf', PDF);
    expect(pdf.status, JSON.stringify(pdf.body)).toBe(201);
    expect(EvidenceSchema.parse(pdf.body)).toMatchObject({ kind: 'file', label: 'Training report 2026.pdf', mimeType: 'application/pdf', size: PDF.length });
    expect(pdf.body.url).toBe(`${p()}/evidence/${pdf.body.id}`);
    const png = await upload(plan.coordinator, 'Отчёт «фото».png', PNG);
    expect(png.status, JSON.stringify(png.body)).toBe(201);
    expect(png.body.mimeType).toBe('image/png');

    // On disk: two files, none named as sent, with the bytes as sent.
    const files = storedFiles();
    expect(files).toHaveLength(2);
    expect(files.some((f) => f.includes('Training') || f.includes('.pdf') || f.includes('.png'))).toBe(false);
    expect(files.map((f) => readFileSync(join(server.dataDir, 'evidence', plan.planId, f)).length).sort()).toEqual([PNG.length, PDF.length].sort());

    // The NGO (another side, a member) downloads them.
    const got = await download(plan.ngo.client, pdf.body.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PDF)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Training report 2026.pdf"; filename*=UTF-8''Training%20report%202026.pdf`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    const photo = await download(plan.ngo.client, png.body.id);
    expect(photo.bytes.equals(PNG)).toBe(true);
    expect(photo.headers.get('content-disposition')).toBe(
      `attachment; filename="Otchet foto.png"; filename*=UTF-8''${encodeURIComponent('Отчёт «фото».png')}`,
    );
    expect((await reportEvidence()).map((e: { label: string }) => e.label)).toEqual(['Training report 2026.pdf', 'Отчёт «фото».png']);
  });

  it('refuses an executable, and HTML named .pdf, with 415; nothing is stored', async () => {
    const exe = await upload(plan.ministry.client, 'setup.exe', EXE);
    expect(exe.status).toBe(415);
    expect(exe.body.error.code).toBe('evidence_type');
    expect(exe.body.error.message).toContain('PDF, PNG, JPEG');
    const disguised = await upload(plan.ministry.client, 'report.pdf', HTML);
    expect(disguised.status).toBe(415);
    const exeAsTxt = await upload(plan.ministry.client, 'notes.txt', EXE);
    expect(exeAsTxt.status).toBe(415);
    expect(storedFiles()).toEqual([]);
    expect(await reportEvidence()).toEqual([]);
  });

  it('accepts UTF-8 text and CSV by name; text with NUL bytes or other encodings is refused', async () => {
    const csv = await upload(plan.ministry.client, 'trained-judges.csv', Buffer.from('region,women,men\nMinsk,12,15\nБрэст,8,10\n'));
    expect(csv.status, JSON.stringify(csv.body)).toBe(201);
    expect(csv.body.mimeType).toBe('text/csv');
    expect((await download(plan.ngo.client, csv.body.id)).headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await upload(plan.ministry.client, 'notes.txt', Buffer.from('a\0b'))).status).toBe(415);
    expect((await upload(plan.ministry.client, 'notes.txt', Buffer.from([0x41, 0xff, 0xfe, 0x42]))).status).toBe(415);
    expect((await upload(plan.ministry.client, 'notes.md', Buffer.from('# Notes'))).status).toBe(415);
  });

  it('only to drafts, and only by those who may change the draft', async () => {
    expect((await upload(plan.ngo.client, 'report.pdf', PDF)).status).toBe(403);
    const observer = await addMember(server, plan.coordinator, plan.planId, 'observer', {
      name: 'Ada Observer',
      email: 'ada@un.example',
      organisation: { name: 'OHCHR', side: 'international' },
    });
    expect((await upload(observer.client, 'report.pdf', PDF)).status).toBe(403);
    expect((await upload(null, 'report.pdf', PDF)).status).toBe(401);
    expect((await plan.ministry.client.post(`${p()}/reports/${reportId}/submit`, {})).status).toBe(200);
    const late = await upload(plan.ministry.client, 'report.pdf', PDF);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('report_submitted');
    expect(storedFiles()).toEqual([]);
  });

  it('evidence is removed from a draft with its file; links must be http(s)', async () => {
    const file = (await upload(plan.ministry.client, 'report.pdf', PDF)).body;
    const link = await plan.ministry.client.post(`${p()}/reports/${reportId}/evidence-links`, { url: 'https://example.gov/press-release', label: 'Press release' });
    expect(link.status).toBe(201);
    expect(EvidenceSchema.parse(link.body)).toMatchObject({ kind: 'link', url: 'https://example.gov/press-release', label: 'Press release', mimeType: null });
    expect((await plan.ministry.client.post(`${p()}/reports/${reportId}/evidence-links`, { url: 'javascript:alert(1)' })).status).toBe(400);

    expect((await plan.ngo.client.delete(`${p()}/evidence/${file.id}`)).status).toBe(403);
    expect((await plan.ministry.client.delete(`${p()}/evidence/${file.id}`)).status).toBe(204);
    expect(storedFiles()).toEqual([]);
    expect((await download(plan.ministry.client, file.id)).status).toBe(404);
    expect((await reportEvidence()).map((e: { kind: string }) => e.kind)).toEqual(['link']);

    // Deleting the draft takes its files with it.
    await upload(plan.ministry.client, 'again.pdf', PDF);
    expect(storedFiles()).toHaveLength(1);
    expect((await plan.ministry.client.delete(`${p()}/reports/${reportId}`)).status).toBe(204);
    expect(storedFiles()).toEqual([]);
  });

  it('a correction starts with the evidence of the report it corrects, sharing its files', async () => {
    const file = (await upload(plan.ministry.client, 'Training report 2026.pdf', PDF)).body;
    await plan.ministry.client.post(`${p()}/reports/${reportId}/evidence-links`, { url: 'https://example.gov/press-release', label: 'Press release' });
    expect((await plan.ministry.client.post(`${p()}/reports/${reportId}/submit`, {})).status).toBe(200);

    const correction = await plan.ministry.client.post(`${p()}/rounds/${plan.roundId}/actions/${plan.actionId}/reports`, { status: 'completed', corrects: reportId });
    expect(correction.status, JSON.stringify(correction.body)).toBe(201);
    const carried = ProgressReportSchema.parse(correction.body).evidence;
    expect(carried.map((e) => [e.kind, e.label])).toEqual([
      ['file', 'Training report 2026.pdf'],
      ['link', 'Press release'],
    ]);
    expect(carried[0]!.id).not.toBe(file.id);
    expect((await download(plan.coordinator, carried[0]!.id)).bytes.equals(PDF)).toBe(true);
    expect(storedFiles()).toHaveLength(1);

    // Removing the file from the correction, or deleting the correction, leaves the corrected report's file.
    expect((await plan.ministry.client.delete(`${p()}/evidence/${carried[0]!.id}`)).status).toBe(204);
    expect((await download(plan.coordinator, file.id)).bytes.equals(PDF)).toBe(true);
    expect((await plan.ministry.client.delete(`${p()}/reports/${correction.body.id}`)).status).toBe(204);
    expect((await download(plan.coordinator, file.id)).bytes.equals(PDF)).toBe(true);
    expect(storedFiles()).toHaveLength(1);
  });

  it('a cross-site form cannot upload: another origin is refused, and so is a body that is not octet-stream', async () => {
    const url = `${server.url}${p()}/reports/${reportId}/evidence?name=notes.txt`;
    const crossSite = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', origin: 'https://evil.example', cookie: plan.ministry.client.cookie! },
      body: 'notes',
    });
    expect(crossSite.status).toBe(403);
    const formBody = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: server.url, cookie: plan.ministry.client.cookie! },
      body: 'notes',
    });
    expect(formBody.status).toBe(415);
    expect(storedFiles()).toEqual([]);
  });

  it('a person outside the plan gets 404 for a file, a signed-out one 401', async () => {
    const file = (await upload(plan.ministry.client, 'report.pdf', PDF)).body;
    const other = await plan.coordinator.post('/api/plans', { title: 'Other plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const outsider = await addMember(server, plan.coordinator, other.body.id, 'coordinator', {
      name: 'Oskar Outsider',
      email: 'oskar@elsewhere.example',
      organisation: { name: 'Elsewhere Foundation', side: 'civil_society' },
    });
    const refused = await download(outsider.client, file.id);
    expect(refused.status).toBe(404);
    expect(refused.bytes.includes(PDF.subarray(0, 8))).toBe(false);
    expect((await download(null, file.id)).status).toBe(401);
    // Nor through another plan's address.
    const res = await fetch(`${server.url}/api/plans/${other.body.id}/evidence/${file.id}`, { headers: { cookie: outsider.client.cookie! } });
    expect(res.status).toBe(404);
  });
});

describe('size limit', () => {
  beforeEach(() => setUp({ EVIDENCE_MAX_BYTES: '2048' }));

  it('a file over EVIDENCE_MAX_BYTES is refused with 413 and a message; nothing is stored', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(4096, 0x20)]);
    const res = await upload(plan.ministry.client, 'big.pdf', big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
    expect(res.body.error.message).toContain('2 KB');
    expect(storedFiles()).toEqual([]);
    expect((await upload(plan.ministry.client, 'small.pdf', PDF)).status).toBe(201);
  });
});

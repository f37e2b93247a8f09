/**
 * A round's progress report has the same protections as plan exports (#14): a person asking for
 * more reports than they may have waiting or being made is refused with a worded code while another
 * member's report is still made; a report past its time limit is stopped, answered with
 * `export_timed_out` and leaves no file behind; the server goes on. Small limits come from the
 * server's configuration, so the tests are quick.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../../client/i18n/errorText.ts';
import { ApiError } from '../../client/api/http.ts';
import { failureReason } from '../../client/features/exports/failureReason.ts';
import { reportFailureText } from '../../client/features/monitoring/reportDownload.ts';
import type { ErrorParams } from '../../shared/api/index.ts';
import { translator } from '../helpers/i18n.ts';
import { monitoredPlan, ok } from '../helpers/monitoringPlan.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';

type Plan = Awaited<ReturnType<typeof monitoredPlan>>;

async function download(server: TestServer, m: Plan, cookie: string, format: 'docx' | 'pdf' = 'docx') {
  const res = await fetch(`${server.url}${m.p}/rounds/${m.roundId}/progress-report?format=${format}`, { headers: { cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : null;
  return { status: res.status, bytes, error: json?.error as { code: string; params?: ErrorParams } | undefined };
}

function reportFiles(server: TestServer): string[] {
  const dir = join(server.dataDir, 'progress-reports');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('with one report per person', () => {
  let server: TestServer;
  let m: Plan;

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPORT_MAX_PENDING_PER_PERSON: '1' } });
    m = await monitoredPlan(server);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('refuses a second report of the same person with a worded code; another member’s report is still made', async () => {
    const [first, second, other] = await Promise.all([
      download(server, m, m.observer.client.cookie!),
      download(server, m, m.observer.client.cookie!),
      download(server, m, m.helsinki.client.cookie!),
    ]);
    const mine = [first, second];
    const made = mine.filter((r) => r.status === 200);
    const refused = mine.filter((r) => r.status !== 200);
    expect(made).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.status).toBe(429);
    expect(refused[0]!.error).toMatchObject({ code: 'export_limit_person', params: { max: 1 } });
    expect(made[0]!.bytes.subarray(0, 2).toString()).toBe('PK');
    expect(other.status).toBe(200);
    const refusal = new ApiError(429, refused[0]!.error!.code, 'refused', undefined, refused[0]!.error!.params);
    for (const lng of ['en', 'be', 'ru'] as const) {
      const t = await translator(lng);
      const sentence = errorText(t, 'export_limit_person', { max: 1 });
      expect(sentence).toContain('1');
      expect(sentence).not.toBe(errorText(t, 'some_unknown_code'));
      expect(reportFailureText(t, refusal)).toBe(sentence);
    }
    // Its turn is given back once the report is made: the same person may ask again.
    expect((await download(server, m, m.observer.client.cookie!)).status).toBe(200);
    // A made report's file goes once it has been sent.
    await eventually(() => expect(reportFiles(server)).toEqual([]));
  }, 120_000);
});

describe('with a short time limit', () => {
  let server: TestServer;
  let m: Plan;

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPORT_TIMEOUT_MS: '100' } });
    m = await monitoredPlan(server);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('stops a report past its time limit with export_timed_out, leaves no file, and the server goes on', async () => {
    // More reports than one person may have waiting (three): each timed-out one gives its turn back.
    for (const format of ['pdf', 'docx', 'pdf', 'docx'] as const) {
      const res = await download(server, m, m.observer.client.cookie!, format);
      expect(res.status, res.bytes.toString('utf8', 0, 300)).toBe(503);
      expect(res.error?.code).toBe('export_timed_out');
    }
    expect(reportFiles(server).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(reportFiles(server)).toEqual([]);
    // The page says why, worded as a timed-out plan export is, in every language.
    const answer = await download(server, m, m.observer.client.cookie!);
    const failure = new ApiError(answer.status, answer.error!.code, 'timed out', undefined, answer.error!.params);
    for (const lng of ['en', 'be', 'ru'] as const) {
      const t = await translator(lng);
      const reason = failureReason(t, 'export_timed_out');
      expect(reason).not.toBe(errorText(t, 'some_unknown_code'));
      expect(reportFailureText(t, failure)).toBe(t('export.failed', { error: reason }));
    }
    expect((await m.observer.client.get('/api/auth/me')).status).toBe(200);
    await ok(m.observer.client.get(`${m.p}/progress`));
  }, 120_000);
});

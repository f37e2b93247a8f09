/**
 * The audit log reads in the reader's language: every audit action has a sentence template in
 * every catalogue, each template uses exactly the placeholders its details provide, and an entry
 * is worded from its action and details, never from the English summary the server stored.
 */
import { describe, expect, it } from 'vitest';
import { AuditActionSchema, type AuditEntry } from '../../shared/api/index.ts';
import { SUMMARY_PARAMS, auditNote, auditSummary, summaryOf, type SummaryKey } from '../../client/features/audit/auditSummary.ts';
import { LANGUAGES, at, catalogue, translator } from '../helpers/i18n.ts';

const placeholders = (template: string) => [...template.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

const entry = (action: AuditEntry['action'], details: Record<string, unknown>, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 1,
  at: '2026-05-01T10:00:00.000Z',
  actorId: 'user-olga-0001',
  actorName: 'Olga Coordinator',
  actorOrganisation: 'Ministry of Foreign Affairs',
  actorRole: 'coordinator',
  action,
  targetType: 'section',
  targetId: 'section-0001',
  summary: 'An English sentence nobody should read',
  details,
  ...extra,
});

describe('audit summaries', () => {
  it('have a template for every audit action', () => {
    const keys = Object.keys(SUMMARY_PARAMS);
    expect(AuditActionSchema.options.filter((action) => !keys.includes(action))).toEqual([]);
  });

  for (const lng of LANGUAGES) {
    it(`are in the ${lng} catalogue, with exactly the placeholders their details give`, () => {
      const c = catalogue(lng);
      const problems: string[] = [];
      for (const [key, params] of Object.entries(SUMMARY_PARAMS) as Array<[SummaryKey, readonly string[]]>) {
        const template = at(c, ['audit', 'summary', key]);
        if (typeof template !== 'string') {
          problems.push(`${key}: missing`);
          continue;
        }
        const used = placeholders(template);
        if (JSON.stringify(used) !== JSON.stringify([...params].sort())) problems.push(`${key}: uses ${used.join(', ')}; details give ${params.join(', ')}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('word an entry in Russian from its details: states, roles and version names translated', async () => {
    const t = await translator('ru');
    expect(auditSummary(entry('section.status_changed', { from: 'drafting', to: 'in_review', title: 'Цели' }), t, 'ru')).toBe(
      `Раздел «Цели»: ${t('agreement.status.drafting')} → ${t('agreement.status.in_review')}`,
    );
    const roleChange = auditSummary(entry('member.role_changed', { name: 'Nina Lawyer', from: 'drafter', to: 'coordinator' }), t, 'ru');
    expect(roleChange).toBe(`Роль участника Nina Lawyer изменена: ${t('role.drafter')} → ${t('role.coordinator')}`);
    const restored = auditSummary(entry('version.restored', { name: 'Agreed text', label: { key: 'signoff' }, title: 'Цели' }), t, 'ru');
    expect(restored).toBe('Восстановлена версия «Согласованный текст» раздела «Цели»');
    // Who joined, and through whose invitation; an entry kept before inviters were recorded says who joined only.
    const joined = { role: 'drafter', after: { name: 'Алесь Вясна', role: 'drafter' } };
    expect(auditSummary(entry('member.joined', { ...joined, invitedByName: 'Вольга', invitedByOrganisation: 'МЗС' }), t, 'ru')).toBe(
      `Новый участник плана: Алесь Вясна, роль — ${t('role.drafter')}; по приглашению: Вольга (МЗС)`,
    );
    expect(auditSummary(entry('member.joined', joined), t, 'ru')).toBe(`Новый участник плана: Алесь Вясна, роль — ${t('role.drafter')}`);
    const rule = auditSummary(entry('signoff_rule.changed', { scope: 'chapter', chapterTitle: 'Глава 1', after: { kind: 'sides', sides: ['government'] } }), t, 'ru');
    expect(rule).toBe('Установлено правило подписания для главы «Глава 1»');
  });

  it('pick the variant the details say: a withdrawal of one’s own suggestion, a move to another section, a progress report export', async () => {
    const t = await translator('en');
    expect(summaryOf(entry('suggestion.rejected', { authorId: 'user-olga-0001', authorName: 'Olga Coordinator', title: 'Aims' }), t, 'en')?.key).toBe('suggestion.withdrawn');
    expect(summaryOf(entry('suggestion.rejected', { authorId: 'user-nina-0001', authorName: 'Nina Lawyer', title: 'Aims' }), t, 'en')?.key).toBe('suggestion.rejected');
    const moved = entry('action.moved', {
      before: { title: 'Train judges', sectionId: 'sec-a', position: 0 },
      after: { title: 'Train judges', sectionId: 'sec-b', position: 2 },
      names: { 'sec-a': 'Courts', 'sec-b': 'Police' },
    });
    expect(auditSummary(moved, t, 'en')).toBe('Action “Train judges” moved from “Courts” to “Police”');
    const exported = entry('export.created', { format: 'pdf', report: 'government', roundName: '2027' });
    expect(auditSummary(exported, t, 'en')).toBe('Progress report of the round “2027” exported: PDF');
    expect(auditSummary(entry('export.created', { format: 'matrix-xlsx', scope: 'current' }), t, 'en')).toBe('Plan exported: Implementation matrix by recommendation (XLSX)');
    // An undo that kept edits made by hand after the import says how many; one that kept none, or
    // written before undo kept them, says only that the import was undone.
    const undone = (details: Record<string, unknown>) => auditSummary(entry('import.undone', { filename: 'recs.json', ...details }, { targetType: 'import' }), t, 'en');
    expect(undone({ keptEdits: 2 })).toBe('Import of “recs.json” undone; edits made by hand since it were kept in recommendations: 2');
    expect(undone({ keptEdits: 0 })).toBe('Import of “recs.json” undone');
    expect(undone({})).toBe('Import of “recs.json” undone');
  });

  it('write the days they name (a round’s due date, the adopting act’s date) as the reader writes days, not as stored', async () => {
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const opened = entry('round.created', { after: { name: '2027 annual', dueDate: '2027-12-31', state: 'open' } }, { targetType: 'round' });
    const adopted = entry('plan.adopted', { act: { title: 'Decree', number: '12', date: '2026-03-01' } }, { targetType: 'plan' });
    expect(auditSummary(opened, await translator('en'), 'en')).toBe('Monitoring round “2027 annual” opened, reports due 31 December 2027');
    expect(auditSummary(adopted, await translator('en'), 'en')).toBe('Plan adopted by “Decree (12)” of 1 March 2026');
    expect(plain(auditSummary(opened, await translator('ru'), 'ru'))).toContain('31 декабря 2027 г.');
    expect(plain(auditSummary(adopted, await translator('be'), 'be'))).toContain('ад 1 сакавіка 2026 г.');
  });

  it('fall back to the action’s name for an entry whose details lack what the sentence needs, never to the stored English', async () => {
    const t = await translator('ru');
    const old = entry('version.created', { groupId: 'group-0001' }, { targetType: 'plan' });
    expect(summaryOf(old, t, 'ru')).toBeNull();
    expect(auditSummary(old, t, 'ru')).toBe(t('audit.action.version.created'));
    expect(auditSummary(old, t, 'ru')).not.toContain('English');
  });

  it('keep what a person wrote (a reason, a reservation, a position) as a note, as written', () => {
    expect(auditNote(entry('section.reopened', { title: 'Aims', reason: 'Wrong figures' }))).toEqual({ label: 'reason', text: 'Wrong figures' });
    expect(auditNote(entry('section.signed', { title: 'Aims', reservation: 'Subject to funding' }))).toEqual({ label: 'reservation', text: 'Subject to funding' });
    expect(auditNote(entry('dissent.recorded', { title: 'Aims', text: 'We disagree' }))).toEqual({ label: 'position', text: 'We disagree' });
    expect(auditNote(entry('action.deleted', { reason: 'Duplicate', before: { title: 'X' }, after: null }))).toEqual({ label: 'reason', text: 'Duplicate' });
  });
});

describe('audit notes', () => {
  it('leave out a reason Accord wrote itself (a signature withdrawn because the text changed)', () => {
    const withdrawn = entry('section.signoff_withdrawn', { title: 'Aims', signer: 'Nina', organisation: 'HRC', reason: 'Olga changed the section after it was signed.' });
    expect(auditNote(withdrawn)).toBeNull();
  });
});

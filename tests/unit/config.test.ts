import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('has defaults that need no set-up', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseFile).toMatch(/data\/accord\.sqlite$/);
  });

  it('reports every invalid setting at once, by name', () => {
    expect(() => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'not a url', LOG_LEVEL: 'loud' })).toThrowError(
      /PORT[\s\S]*PUBLIC_URL[\s\S]*LOG_LEVEL/,
    );
  });

  // E-mail of notices (server/mail/).
  it('sends nothing unless SMTP_URL is set; an empty value counts as unset', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    expect(loadConfig({ SMTP_URL: '', MAIL_FROM: '' })).toMatchObject({ smtpUrl: undefined, mailFrom: undefined });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example:465' }).smtpUrl).toBe('smtps://u:p@mail.example:465');
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://, without echoing it (it may hold a password)', () => {
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'http://u:secret@mail.example' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: Must start with smtp:\/\/ or smtps:\/\//);
    expect(message).not.toContain('secret');
  });
});

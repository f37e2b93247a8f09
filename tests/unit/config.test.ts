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
});

import { describe, expect, it } from 'vitest';
import { withWebScheme } from '../../client/ui/webAddress.ts';
import { normaliseLink } from '../../client/editor/Toolbar.tsx';

describe('a web address as people type it', () => {
  it('gets https:// when no scheme is written', () => {
    expect(withWebScheme('example.org/report')).toBe('https://example.org/report');
    expect(withWebScheme('  www.ohchr.org/en  ')).toBe('https://www.ohchr.org/en');
    expect(withWebScheme('//example.org/x')).toBe('https://example.org/x');
    // A port is not a scheme.
    expect(withWebScheme('localhost:3000/plan')).toBe('https://localhost:3000/plan');
    expect(withWebScheme('')).toBe('');
    expect(withWebScheme('   ')).toBe('');
  });

  it('keeps a written scheme, so what is not allowed is still refused afterwards', () => {
    expect(withWebScheme('http://example.org')).toBe('http://example.org');
    expect(withWebScheme('HTTPS://Example.org')).toBe('HTTPS://Example.org');
    expect(withWebScheme('mailto:info@example.org')).toBe('mailto:info@example.org');
    expect(withWebScheme('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(normaliseLink('javascript:alert(1)')).toBeNull();
    expect(normaliseLink(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(normaliseLink('data:text/html,x')).toBeNull();
    expect(normaliseLink('example.org/report')).toBe('https://example.org/report');
    expect(normaliseLink('mailto:info@example.org')).toBe('mailto:info@example.org');
  });
});

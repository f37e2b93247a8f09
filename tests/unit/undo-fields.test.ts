/**
 * Undoing an import's change of one recommendation, field by field (server/services/undoFields.ts):
 * back to the value before the import only where the import's value still holds.
 */
import { describe, expect, it } from 'vitest';
import { restoration } from '../../server/services/undoFields.ts';
import type { StoredFields } from '../../server/services/recommendations.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';

const before: StoredFields = { ...sampleRecommendation(1), reference: 'BLR-C1-97.1' };
// The import rewrote the text and added a theme.
const applied: StoredFields = { ...before, text: 'Imported text', themes: [...before.themes, 'Elections'] };

describe('undoing an import change field by field', () => {
  it('gives every field back when nothing changed since the import', () => {
    expect(restoration(before, applied, applied)).toEqual({ fields: before, keptEdits: [], editedSince: false });
  });

  it('keeps a field the import changed and someone edited since, and gives back the others', () => {
    const edited = { ...applied, themes: ['Elections'] };
    expect(restoration(before, applied, edited)).toEqual({ fields: { ...before, themes: ['Elections'] }, keptEdits: ['themes'], editedSince: true });
  });

  it('never touches a field the import did not change', () => {
    const edited = { ...applied, notes: 'Checked with the Ministry.' };
    expect(restoration(before, applied, edited)).toEqual({ fields: { ...before, notes: 'Checked with the Ministry.' }, keptEdits: [], editedSince: true });
  });

  it('counts no kept edit for a field edited back to its earlier value', () => {
    const edited = { ...applied, text: before.text };
    expect(restoration(before, applied, edited)).toEqual({ fields: before, keptEdits: [], editedSince: true });
  });
});

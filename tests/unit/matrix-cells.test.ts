/**
 * The implementation matrix's typed cells (server/export/render/matrixCells.ts): a plan's timeline
 * points become the days a spreadsheet can sort by, a value entered as text becomes a number only
 * when it is exactly one, and CSV cells keep the formula-safe rules while numbers and dates stay plain.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, DateCell, dateOrText, numberOrText, timePointDate, toCsv } from '../../server/export/render/matrixCells.ts';

const iso = (c: DateCell | null) => c?.iso ?? null;

describe('timePointDate', () => {
  it.each([
    ['2027', '2027-01-01', '2027-12-31'],
    ['2027-Q1', '2027-01-01', '2027-03-31'],
    ['2027-Q2', '2027-04-01', '2027-06-30'],
    ['2027-Q3', '2027-07-01', '2027-09-30'],
    ['2027-Q4', '2027-10-01', '2027-12-31'],
    ['2028-02-29', '2028-02-29', '2028-02-29'],
  ])('%s starts on %s and ends on %s', (point, start, end) => {
    expect(iso(timePointDate(point, 'start'))).toBe(start);
    expect(iso(timePointDate(point, 'end'))).toBe(end);
  });

  it('is empty for no point, or one it cannot read', () => {
    expect(timePointDate(null, 'end')).toBeNull();
    expect(timePointDate('soon', 'end')).toBeNull();
  });
});

describe('numberOrText and dateOrText', () => {
  it('types a value only when it is exactly a number or a full date', () => {
    expect(numberOrText('12')).toBe(12);
    expect(numberOrText(' 0.5 ')).toBe(0.5);
    expect(numberOrText('-3')).toBe(-3);
    expect(numberOrText('45%')).toBe('45%');
    expect(numberOrText('1,200')).toBe('1,200');
    expect(numberOrText('')).toBeNull();
    expect(numberOrText(null)).toBeNull();
    expect(dateOrText('2021-03-11')).toEqual(new DateCell('2021-03-11'));
    expect(dateOrText('2010-05')).toBe('2010-05');
    expect(dateOrText(null)).toBeNull();
  });
});

describe('CSV cells', () => {
  it('prefix formula text, but write numbers and dates plainly', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(125000.5)).toBe('125000.5');
    expect(csvCell(new DateCell('2027-01-01'))).toBe('2027-01-01');
    expect(csvCell(null)).toBe('');
  });

  it('a table has a BOM, CRLF rows and a formula-safe header', () => {
    const csv = toCsv({ columns: [{ header: '=Round', type: 'text' }, { header: 'Budget', type: 'number' }], rows: [['a\nb', -1]] });
    expect(csv).toBe(`\uFEFF'=Round,Budget\r\n"a\nb",-1\r\n`);
  });
});

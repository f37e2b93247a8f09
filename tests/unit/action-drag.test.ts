import { describe, expect, it } from 'vitest';
import { dropMark, edgeSpeed } from '../../client/features/actions/useActionDrag.ts';

/** Where the drop bar shows while an action is dragged, and how fast the page scrolls at its edges. */
describe('dragging an action', () => {
  const ids = ['a', 'b', 'c'];

  it('marks the place among the other actions, which is the place the server is asked for', () => {
    // "c" carried above "a": place 0 among [a, b], the bar before "a".
    expect(ids.map((id) => dropMark({ actionId: 'c', from: 2, to: 0 }, ids, id))).toEqual(['before', null, null]);
    // "a" carried below "c": place 2 among [b, c], past the last, the bar after "c".
    expect(ids.map((id) => dropMark({ actionId: 'a', from: 0, to: 2 }, ids, id))).toEqual([null, null, 'after']);
    // "a" carried between "b" and "c": place 1 among [b, c], the bar before "c".
    expect(ids.map((id) => dropMark({ actionId: 'a', from: 0, to: 1 }, ids, id))).toEqual([null, null, 'before']);
  });

  it('shows no bar where the action already is, nor when nothing is dragged', () => {
    expect(ids.map((id) => dropMark({ actionId: 'b', from: 1, to: 1 }, ids, id))).toEqual([null, null, null]);
    expect(ids.map((id) => dropMark(null, ids, id))).toEqual([null, null, null]);
  });

  it('scrolls up near the top, down near the bottom, faster nearer the edge, and not in between', () => {
    expect(edgeSpeed(400, 1000)).toBe(0);
    expect(edgeSpeed(70, 1000)).toBeLessThan(0);
    expect(edgeSpeed(0, 1000)).toBeLessThan(edgeSpeed(70, 1000));
    expect(edgeSpeed(-50, 1000)).toBe(edgeSpeed(0, 1000));
    expect(edgeSpeed(930, 1000)).toBeGreaterThan(0);
    expect(edgeSpeed(1000, 1000)).toBeGreaterThan(edgeSpeed(930, 1000));
  });
});

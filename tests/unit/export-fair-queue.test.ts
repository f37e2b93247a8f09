/** The export queue's turn-taking and caps (server/export/fairQueue.ts), without workers. */
import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../server/export/fairQueue.ts';

const job = (planId: string, createdBy: string, name: string) => ({ planId, createdBy, name });
const limits = { maxRunning: 2, maxRunningPerPlan: 1, maxPendingPerPerson: 3, maxPendingPerPlan: 4 };

describe('export queue', () => {
  it('lets another plan’s export start while one plan has a queue of its own', () => {
    const q = new FairQueue<ReturnType<typeof job>>(limits);
    ['a1', 'a2', 'a3'].forEach((n) => q.add(job('A', 'ann', n)));
    q.add(job('B', 'bob', 'b1'));
    const first = q.take()!;
    const second = q.take()!;
    expect([first.name, second.name]).toEqual(['a1', 'b1']);
    // Both slots are taken, and plan A may run only one at a time.
    expect(q.take()).toBeNull();
    q.finished(second);
    expect(q.take()).toBeNull();
    q.finished(first);
    expect(q.take()!.name).toBe('a2');
  });

  it('serves plans in turn, not in the order exports were asked for', () => {
    const q = new FairQueue<ReturnType<typeof job>>({ ...limits, maxRunning: 1, maxPendingPerPerson: 10, maxPendingPerPlan: 10 });
    ['a1', 'a2', 'a3'].forEach((n) => q.add(job('A', 'ann', n)));
    ['b1', 'b2'].forEach((n) => q.add(job('B', 'bob', n)));
    q.add(job('C', 'cat', 'c1'));
    const order: string[] = [];
    for (let next = q.take(); next; next = q.take()) {
      order.push(next.name);
      q.finished(next);
    }
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('refuses a person past their cap and a plan past its cap, counting waiting and running exports', () => {
    const q = new FairQueue<ReturnType<typeof job>>(limits);
    ['1', '2', '3'].forEach((n) => q.add(job('A', 'ann', n)));
    expect(q.refusal('B', 'ann')).toEqual({ code: 'export_limit_person', max: 3 });
    expect(q.refusal('A', 'bob')).toBeNull();
    q.add(job('A', 'bob', '4'));
    expect(q.refusal('A', 'cat')).toEqual({ code: 'export_limit_plan', max: 4 });
    const running = q.take()!;
    expect(q.refusal('A', 'cat')).not.toBeNull();
    q.finished(running);
    expect(q.refusal('A', 'cat')).toBeNull();
    expect(q.refusal('B', 'ann')).toBeNull();
  });

  it('counts a reserved export against the caps before it can be taken, and forgets a dropped one', () => {
    const q = new FairQueue<ReturnType<typeof job>>(limits);
    const reserved = ['1', '2', '3'].map((n) => job('A', 'ann', n));
    reserved.forEach((j) => q.reserve(j));
    // Its row is still being written: the person's fourth is refused, and nothing may start yet.
    expect(q.refusal('A', 'ann')).toEqual({ code: 'export_limit_person', max: 3 });
    expect(q.take()).toBeNull();
    q.add(reserved[0]!);
    expect(q.take()!.name).toBe('1');
    // A row that could not be written frees its place.
    q.drop(reserved[1]!);
    expect(q.refusal('A', 'ann')).toBeNull();
  });
});


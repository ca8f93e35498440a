import { describe, expect, it } from 'vitest';
import { QuestionDrafts } from '../../../src/commands/quiz/questionModal.js';
import { FakeClock } from '../../support/FakeClock.js';

const draft = (userId: string) => ({
  userId,
  target: { mode: 'add' as const, quizId: 1, quizName: '', number: null },
  values: { question: 'Q', options: 'a\nb', correct: 'a', points: '', explanation: '' },
});

describe('QuestionDrafts (what "Fix it" reopens)', () => {
  it('keeps a refused form for 15 minutes, then forgets it', () => {
    const clock = new FakeClock();
    const drafts = new QuestionDrafts(clock);
    const id = drafts.save(draft('7'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    clock.advance(15 * 60_000 - 1);
    expect(drafts.get(id)?.userId).toBe('7');
    clock.advance(1);
    expect(drafts.get(id)).toBeUndefined();
  });

  it('holds at most 500 drafts, dropping the oldest first', () => {
    const drafts = new QuestionDrafts(new FakeClock());
    const ids = Array.from({ length: 501 }, (_, i) => drafts.save(draft(String(i))));
    expect(drafts.get(ids[0] ?? '')).toBeUndefined();
    expect(drafts.get(ids[1] ?? '')?.userId).toBe('1');
    expect(drafts.get(ids[500] ?? '')?.userId).toBe('500');
  });

  it("bounds each member's drafts: one member's refusals in a loop never evict another's draft", () => {
    const drafts = new QuestionDrafts(new FakeClock());
    const others = drafts.save(draft('1'));
    const flood = Array.from({ length: 600 }, () => drafts.save(draft('2')));
    expect(drafts.get(others)?.userId).toBe('1');
    // The flooding member keeps their 5 newest.
    expect(flood.filter((id) => drafts.get(id) !== undefined)).toEqual(flood.slice(-5));
  });

  it('bounds drafts by bytes, not only by count: 1,200 refused 20 KB forms keep at most 2 MiB', () => {
    // Issue 12 item 7: 500 drafts of a full modal (~20 KB) each were kept; 1,200 such submissions
    // raised RSS by 80 MB.
    const drafts = new QuestionDrafts(new FakeClock());
    const field = 'x'.repeat(4_000);
    const big = (userId: string) => ({
      ...draft(userId),
      values: { question: field, options: field, correct: field, points: field, explanation: field },
    });
    const ids = Array.from({ length: 1_200 }, (_, i) => drafts.save(big(String(i))));
    const kept = ids.filter((id) => drafts.get(id) !== undefined);
    expect(kept.length * 20_000).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(kept).toEqual(ids.slice(-kept.length)); // the newest stay
    expect(kept.length).toBeGreaterThanOrEqual(100);
    // Small drafts are still kept by the hundred.
    const small = Array.from({ length: 500 }, (_, i) => drafts.save(draft(`s${i}`)));
    expect(small.every((id) => drafts.get(id) !== undefined)).toBe(true);
  });

  it('does not know ids it never issued', () => {
    expect(new QuestionDrafts(new FakeClock()).get('made-up')).toBeUndefined();
  });
});

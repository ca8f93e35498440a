import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQuizFile } from '../../../src/quiz/quizFile.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README quiz file example', () => {
  it('is a valid quiz file (the docs cannot drift from the validator)', () => {
    const section = readme.split('\n## Quiz files\n')[1] ?? '';
    const example = section.split('```yaml\n')[1]?.split('\n```')[0];
    expect(example).toBeDefined();
    const parsed = parseQuizFile(example ?? '', 'yaml');
    expect(parsed.ok ? parsed.value.questions.map((q) => q.answer) : parsed.error).toEqual([
      'Jupiter',
      'A: Phobos',
    ]);
  });
});

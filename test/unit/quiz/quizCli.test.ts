import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuizCli } from '../../../src/cli/quiz.js';
import { toJsonSchema } from '../../../src/quiz/quizFile.js';

const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runQuizCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'badgey-quiz-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemas/quiz.schema.json', () => {
  it('is up to date with the validator (regenerate: npm run quiz -- schema --write)', async () => {
    const committed: unknown = JSON.parse(
      await readFile(new URL('../../../schemas/quiz.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(toJsonSchema());
  });

  it('describes the format editors need: required keys, option bounds, no unknown keys', () => {
    const schema = toJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: {
        questions: { items: { properties: { options: { minItems: number; maxItems: number } } } };
      };
    };
    expect(schema.required).toEqual(['version', 'name', 'questions']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.questions.items.properties.options).toMatchObject({ minItems: 2, maxItems: 5 });
  });
});

describe('npm run quiz', () => {
  it('validate prints OK with the name and question count', async () => {
    const file = join(dir, 'good.yaml');
    await writeFile(
      file,
      'version: 1\nname: Capitals\nquestions:\n  - { question: "France?", options: [Paris, Lyon], answer: Paris }\n',
    );
    expect(await cli(['validate', file])).toEqual({ code: 0, out: ['OK: Capitals (1 questions)'], err: [] });
  });

  it('validate prints FILE:LINE:COL: message per error and exits 1', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      '{\n  "version": 1,\n  "name": "x",\n  "questions": [{"question": "q", "options": ["a"], "answer": "b"}]\n}\n',
    );
    const result = await cli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `${file}:4:46: questions[0].options must list 2 to 5 options (has 1)`,
      `${file}:4:63: questions[0].answer "b" is not one of the options ("a")`,
    ]);
  });

  it('validate prints English whatever the environment language (one source: the en-US catalogue)', async () => {
    const file = join(dir, 'german-env.yaml');
    await writeFile(file, 'version: 1\nname: x\ntimr: 3\nquestions: []\n');
    const lang = process.env.LANG;
    process.env.LANG = 'de_DE.UTF-8';
    try {
      expect((await cli(['validate', file])).err).toEqual([`${file}:3:1: the quiz has unknown key "timr"`]);
    } finally {
      if (lang === undefined) delete process.env.LANG;
      else process.env.LANG = lang;
    }
  });

  it('validate reports an unreadable file and usage errors', async () => {
    const missing = join(dir, 'missing.yaml');
    expect(await cli(['validate', missing])).toEqual({
      code: 1,
      out: [],
      err: [`${missing}: cannot read: ENOENT`],
    });
    expect((await cli(['validate'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('schema prints the JSON Schema', async () => {
    const result = await cli(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual(toJsonSchema());
  });

  it('runs as a real process and exits 1 on a bad file', async () => {
    const file = join(dir, 'syntax.yaml');
    await writeFile(file, 'version: 1\nname: x: y\nquestions: []\n');
    const error = await run('npx', ['tsx', 'src/cli/quiz.ts', 'validate', file]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(
      `${file}:2:7: YAML syntax error: Nested mappings are not allowed in compact mappings`,
    );
  });
});

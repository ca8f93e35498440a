import { describe, expect, it } from 'vitest';
import { classifyGatewayClose, tokenRejectedClose } from '../../../src/discord/gatewayCloseCodes.js';

describe('classifyGatewayClose', () => {
  it.each([4004, 4010, 4011, 4012, 4013, 4014])(
    'GIVEN close %i THEN fatal with a fix naming what to change',
    (code) => {
      const result = classifyGatewayClose(code);
      expect(result.kind).toBe('fatal');
      if (result.kind === 'fatal') {
        expect(result.close.code).toBe(code);
        expect(result.close.fix.length).toBeGreaterThan(20);
      }
    },
  );

  it('names the token for 4004 and SHARD_COUNT for 4011, and says no privileged intents are needed for 4014', () => {
    const fixOf = (code: number) => {
      const r = classifyGatewayClose(code);
      return r.kind === 'fatal' ? r.close.fix : '';
    };
    expect(fixOf(4004)).toMatch(/DISCORD_TOKEN is invalid: reset it/);
    expect(fixOf(4011)).toMatch(/SHARD_COUNT/);
    expect(fixOf(4014)).toMatch(/needs no privileged intents/);
    expect(tokenRejectedClose().fix).toBe(fixOf(4004));
  });

  it.each([
    [4000, 'resume'],
    [1006, 'resume'],
    [4009, 'resume'],
    [1000, 'reidentify'],
    [4007, 'reidentify'],
  ])('GIVEN close %i THEN %s', (code, kind) => {
    expect(classifyGatewayClose(code).kind).toBe(kind);
  });
});

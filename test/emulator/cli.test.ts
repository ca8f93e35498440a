import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

describe('emulator cli (standalone entry for the demo and benchmarks)', () => {
  it('prints its apiBase as one JSON line, serves /gateway/bot, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/discord-emulator/cli.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, EMULATOR_SHARD_COUNT: '2' },
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const info = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(info).sort()).toEqual([
        'apiBase',
        'applicationId',
        'channelId',
        'guildId',
        'token',
        'userId',
      ]);
      expect(info.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      const res = await fetch(`${info.apiBase}/v10/gateway/bot`, {
        headers: { authorization: `Bot ${info.token}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { shards: number }).shards).toBe(2);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

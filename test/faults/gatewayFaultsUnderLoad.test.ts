import { describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import { callbacksOf, type LoadDriver } from '../support/load/LoadDriver.js';
import type { LoadWorld } from '../support/load/LoadWorld.js';
import {
  backgroundLoad,
  driverFor,
  loadWorld,
  logAfter,
  notAnsweredExactlyOnce,
  readinessChange,
} from './faultHarness.js';

// Gateway faults WHILE members are using the bot (the single-fault cases without load are in
// test/e2e/discordFaults.test.ts). For each fault: readiness goes not-ready and back (the bot's
// own readiness log and /ready), and every interaction Discord delivered gets exactly one initial
// callback — none lost, none answered twice.

const MEMBERS = 12;

async function setUp(): Promise<{ world: LoadWorld; bot: BotProcess; driver: LoadDriver }> {
  const world = await loadWorld({ members: MEMBERS });
  const bot = await world.startBot({ LOG_LEVEL: 'info' });
  return { world, bot, driver: driverFor(world, bot) };
}

/** Runs `fault` under load; returns once readiness went down and came back and the load drained. */
async function underLoad(
  setup: { world: LoadWorld; bot: BotProcess; driver: LoadDriver },
  fault: () => void,
  recover?: () => void,
): Promise<void> {
  const { bot, driver } = setup;
  const load = backgroundLoad(driver, { members: MEMBERS });
  try {
    // Some traffic before the fault.
    await waitUntil(() => answered(driver) >= MEMBERS, 10_000);
    const from = bot.logs.length;
    fault();
    await logAfter(bot, from, readinessChange(/^discord/, false));
    recover?.();
    await logAfter(bot, from, readinessChange(/^discord/, true), 20_000);
    await bot.waitForStatus('/ready', 200, 5000);
    // And traffic after the recovery.
    const before = answered(driver);
    await waitUntil(() => answered(driver) >= before + MEMBERS, 10_000);
  } finally {
    await load.stop();
  }
  await driver.drain(10_000);
}

function answered(driver: LoadDriver): number {
  return driver.tracked.filter((t) => callbacksOf(t.handle) > 0).length;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectNothingLost(driver: LoadDriver): void {
  const delivered = driver.tracked.filter((t) => t.handle.deliveredTo > 0);
  expect(delivered.length).toBeGreaterThanOrEqual(2 * MEMBERS);
  expect(notAnsweredExactlyOnce(driver.tracked)).toEqual([]);
}

describe('gateway faults during load (real bot process, emulator)', { timeout: 120_000 }, () => {
  it('close 4000: resumes; every interaction answered exactly once', async () => {
    const setup = await setUp();
    await underLoad(setup, () => setup.world.emu.closeGateway(4000));
    expectNothingLost(setup.driver);
    // A resume, not a new session: interactions sent meanwhile were replayed, not lost.
    expect(setup.world.emu.sessions.filter((s) => s.state !== 'closed')).toHaveLength(1);
  });

  it('TCP drop (1006): resumes; every interaction answered exactly once', async () => {
    const setup = await setUp();
    await underLoad(setup, () => setup.world.emu.dropGateway());
    expectNothingLost(setup.driver);
  });

  it('op 7 RECONNECT: resumes; every interaction answered exactly once', async () => {
    const setup = await setUp();
    await underLoad(setup, () => setup.world.emu.sendReconnect());
    expectNothingLost(setup.driver);
  });

  it('op 9 (not resumable): identifies again; every delivered interaction answered exactly once', async () => {
    const setup = await setUp();
    const identified = setup.world.emu.waitFor('identify', () => true, 20_000);
    await underLoad(setup, () => setup.world.emu.invalidateSession({ resumable: false }));
    await identified;
    expectNothingLost(setup.driver);
    // Interactions sent while no session existed never reached the bot (Discord drops them too);
    // they are excluded above and must not have been answered by anyone.
    for (const t of setup.driver.tracked.filter((t) => t.handle.deliveredTo === 0))
      expect(t.handle.responses).toEqual([]);
  });

  it('missed heartbeat ACKs: the zombie connection is replaced; every interaction answered exactly once', async () => {
    const setup = await setUp();
    await underLoad(
      setup,
      () => setup.world.emu.stopHeartbeatAcks(),
      () => setup.world.emu.resumeHeartbeatAcks(),
    );
    expectNothingLost(setup.driver);
  });
});

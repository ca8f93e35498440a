import { describe, expect, it } from 'vitest';
import type { RecordedRestCall } from '../support/discord-emulator/index.js';
import { callbacksOf, type LoadDriver, type TrackedInteraction } from '../support/load/LoadDriver.js';
import { isErrorReply, isFinalMessage, messageText, questionKey } from '../support/load/quizMessages.js';
import { backgroundLoad, driverFor, loadWorld, notAnsweredExactlyOnce } from './faultHarness.js';

// REST faults on Badgey's replies WHILE members take quizzes (one 429 / one 500 storm without load
// is in test/e2e/discordFaults.test.ts). Faults are aimed at chosen interactions (by id/token) as
// they are injected, so every expectation is exact: retries honour Retry-After (the emulator
// records when each request arrived), 5xx retries are bounded, every delivered interaction gets
// exactly one initial callback, and a member whose reply failed every retry is told so.

const MEMBERS = 10;
/** Arrival-time jitter between the bot sending a request and the emulator recording it. */
const CLOCK_SLACK_MS = 25;

async function setUp() {
  const world = await loadWorld({ members: MEMBERS });
  const bot = await world.startBot();
  const driver = driverFor(world, bot);
  return { world, bot, driver };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const callbackPath = (t: TrackedInteraction) => `/interactions/${t.handle.id}/${t.handle.token}/callback`;
/** Webhook calls (edits, followups) made with this interaction's token. */
const webhookPattern = (t: TrackedInteraction) => new RegExp(`^/webhooks/[^/]+/${t.handle.token}/`);

function callsTo(calls: readonly RecordedRestCall[], match: (path: string) => boolean): RecordedRestCall[] {
  return calls.filter((c) => match(c.path)).sort((a, b) => a.at - b.at);
}

const statusOf = (c: RecordedRestCall): number | 'ok' => (c.status < 300 ? 'ok' : c.status);

const replyText = (t: TrackedInteraction) =>
  messageText(t.handle.responses.find((r) => r.kind === 'callback')?.data as never);

function expectNothingLost(driver: LoadDriver): void {
  expect(driver.tracked.filter((t) => callbacksOf(t.handle) > 0).length).toBeGreaterThan(2 * MEMBERS);
  expect(notAnsweredExactlyOnce(driver.tracked)).toEqual([]);
}

/** Runs quiz load until `enough()`; then stops it and waits for the replies. */
async function loadUntil(driver: LoadDriver, enough: () => boolean): Promise<void> {
  const load = backgroundLoad(driver, { members: MEMBERS, mode: 'take' });
  try {
    await until(enough, 40_000, 'not enough targeted interactions');
  } finally {
    await load.stop();
  }
  await driver.drain(10_000);
}

describe('REST faults on replies during quiz load (real bot process, emulator)', { timeout: 120_000 }, () => {
  it('429s on callbacks and message edits: every retry waits at least Retry-After; nothing lost or doubled', async () => {
    const { world, driver } = await setUp();
    expect(world.takingAvailable()).toBe(true);
    const retryAfterSeconds = 0.3;
    const targeted: TrackedInteraction[] = [];
    driver.onTrack = (t) => {
      if (driver.tracked.length % 3 !== 0) return;
      targeted.push(t);
      world.emu.injectFault({
        path: new RegExp(`^/interactions/${t.handle.id}/`),
        status: 429,
        times: 2,
        retryAfterSeconds,
      });
      world.emu.injectFault({ path: webhookPattern(t), status: 429, times: 1, retryAfterSeconds });
    };
    await loadUntil(driver, () => targeted.length >= 15);
    driver.onTrack = undefined;
    expectNothingLost(driver);

    const minGapMs = retryAfterSeconds * 1000 - CLOCK_SLACK_MS;
    // An edit made just before the load stopped may still be waiting out its Retry-After.
    const editsOf = (t: TrackedInteraction) => callsTo(world.emu.restCalls, (p) => webhookPattern(t).test(p));
    await until(
      () => targeted.every((t) => editsOf(t).length !== 1),
      5000,
      'a rate-limited edit was never retried',
    ).catch(() => undefined); // the per-interaction expectation below names it
    for (const t of targeted) {
      if (t.handle.deliveredTo === 0) continue;
      const callbacks = callsTo(world.emu.restCalls, (p) => p === callbackPath(t));
      expect(callbacks.map(statusOf).slice(0, 3), `${t.kind} ${t.handle.id}`).toEqual([429, 429, 'ok']);
      expect(callbacks[1]!.at - callbacks[0]!.at).toBeGreaterThanOrEqual(minGapMs);
      expect(callbacks[2]!.at - callbacks[1]!.at).toBeGreaterThanOrEqual(minGapMs);
      const edits = editsOf(t);
      if (edits.length > 0) {
        expect(edits[0]?.status).toBe(429);
        expect(edits[1], `${t.kind} ${t.handle.id}: edit not retried`).toBeDefined();
        expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(minGapMs);
      }
      const reply = t.handle.responses.map((r) => messageText(r.data as never)).join('\n');
      expect(isErrorReply(reply), reply).toBe(false);
    }
  });

  it('a global 429 on a bot request: no bot-authenticated request until Retry-After has passed', async () => {
    const { world, driver } = await setUp();
    const retryAfterSeconds = 1;
    let limitedAt = 0;
    // The public results posts (POST /channels/:id/messages) are the bot-authenticated requests.
    const fault = world.emu.injectFault({
      method: 'POST',
      path: /^\/channels\/[^/]+\/messages$/,
      status: 429,
      times: 1,
      retryAfterSeconds,
      global: true,
    });
    await loadUntil(driver, () => {
      const hit = world.emu.restCalls.find((c) => c.fault);
      if (hit) limitedAt = hit.at;
      return fault.remaining === 0 && world.emu.restCalls.some((c) => c.at > limitedAt + 1500);
    });
    expectNothingLost(driver);
    const limited = world.emu.restCalls.find((c) => c.fault);
    // The rate-limited post itself is retried after Retry-After.
    const retry = world.emu.restCalls.find(
      (c) => !c.fault && c.at > limitedAt && c.method === 'POST' && c.path === limited?.path,
    );
    expect(retry, 'the results post was not retried').toBeDefined();
    expect(retry!.at - limitedAt).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - CLOCK_SLACK_MS);
    // Interaction callbacks and webhooks are exempt from the global limit (Discord's rule); every
    // bot-authenticated request waits. Requests already on the wire may arrive just after the 429.
    const during = world.emu.restCalls.filter(
      (c) =>
        c.headers.authorization !== undefined &&
        c.at > limitedAt + 100 &&
        c.at < limitedAt + retryAfterSeconds * 1000 - CLOCK_SLACK_MS,
    );
    expect(during.map((c) => `${c.method} ${c.path} at +${c.at - limitedAt} ms`)).toEqual([]);
  });

  it('1–3 5xx on a reply are retried away: the normal answer, nothing lost', async () => {
    const { world, driver } = await setUp();
    const statuses = [500, 502, 503, 504] as const;
    const recovered: TrackedInteraction[] = [];
    driver.onTrack = (t) => {
      const n = driver.tracked.length;
      if (n % 3 !== 1) return;
      recovered.push(t);
      // 1..3 failures: within discord.js's 3 retries.
      for (let i = 0; i < 1 + (n % 3); i++)
        world.emu.injectFault({
          path: new RegExp(`^/interactions/${t.handle.id}/`),
          status: statuses[(n + i) % 4] ?? 500,
          times: 1,
        });
    };
    await loadUntil(driver, () => recovered.length >= 12);
    driver.onTrack = undefined;
    expectNothingLost(driver);
    for (const t of recovered) {
      const callbacks = callsTo(world.emu.restCalls, (p) => p === callbackPath(t));
      expect(callbacks.at(-1)?.status, `${t.kind} ${t.handle.id}`).toBeLessThan(300);
      expect(callbacks.length).toBeLessThanOrEqual(4);
      expect(isErrorReply(replyText(t)), replyText(t)).toBe(false);
    }
  });

  it('4 5xx in a row lose a reply: bounded retries, the member is told or the quiz goes on — never drawn through a dead token', async () => {
    const { world, driver } = await setUp();
    const exhausted: TrackedInteraction[] = [];
    driver.onTrack = (t) => {
      if (driver.tracked.length % 5 !== 3) return;
      exhausted.push(t);
      world.emu.injectFault({ path: new RegExp(`^/interactions/${t.handle.id}/`), status: 500, times: 4 });
    };
    await loadUntil(
      driver,
      () => exhausted.filter((t) => t.kind !== 'take').length >= 3 && exhausted.length >= 5,
    );
    driver.onTrack = undefined;
    // Nothing answered twice; an interaction Discord refused every time may stay unanswered (Discord
    // then shows the member "This interaction failed" — the bot cannot do better through it).
    expect(driver.tracked.filter((t) => t.handle.errors.some((e) => e.code === 40060))).toEqual([]);

    /** The member's quiz went past the clicked screen (next question, summary, an end), or they were told. */
    const movedOn = (t: TrackedInteraction) => {
      const customId = (t.handle.payload as { data?: { custom_id?: string } }).data?.custom_id ?? '';
      const parts = customId.split(':'); // bdg1:quiz-play:answer:<session>:<q>:<option> | …:next:<session>:<q>
      const clicked = (t.kind === 'answer' ? parts.slice(3, -1) : parts.slice(3)).join(':');
      const latest = driver.latestMessage(t.member);
      return (
        isErrorReply(replyText(t)) ||
        isFinalMessage(latest) ||
        (questionKey(latest) !== undefined && questionKey(latest) !== clicked)
      );
    };
    for (const t of exhausted) {
      const callbacks = callsTo(world.emu.restCalls, (p) => p === callbackPath(t));
      // The handler's reply: 1 try + 3 retries, all 500 — bounded, whatever comes after.
      expect(callbacks.slice(0, 4).map(statusOf), `${t.kind} ${t.handle.id}`).toEqual([500, 500, 500, 500]);
      expect(callbacks.length).toBeLessThanOrEqual(8);
      // Later screens drawn through the webhook of an interaction that was never acknowledged are
      // refused (10015 Unknown Webhook): the member would never see them.
      expect(
        t.handle.errors.map((e) => `${e.method} ${e.path} → ${e.code}`),
        `${t.kind} ${t.handle.id}: screens drawn through a dead token`,
      ).toEqual([]);
      if (t.kind === 'take') expect(isErrorReply(replyText(t)), replyText(t)).toBe(true);
      else await until(() => movedOn(t), 15_000, `${t.kind} ${t.handle.id}: the member's quiz is stuck`);
    }
  });
});

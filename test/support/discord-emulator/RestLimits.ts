/**
 * The emulator's REST faults and rate limits: injected faults (`injectFault`: the next N matching
 * requests answer a status, 429 with Retry-After), Discord-like rate-limit headers, and — when
 * `rateLimit` / `channelMessageRateLimit` are set — enforced per-route and per-channel buckets.
 * It decides the answer; DiscordEmulator's HTTP plumbing writes and records it.
 */
import { createHash } from 'node:crypto';
import type { DiscordEmulatorOptions, Fault, FaultInput } from './types.js';

/** The part of a route the limits look at. */
export interface RouteKey {
  method: string;
  pattern: string;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  json: unknown;
}

export interface BucketState {
  limit: number;
  count: number;
  resetAt: number;
  /** A bucket shared by several routes (the per-channel message limit) names itself. */
  shared?: string;
}

export interface FaultState extends Fault {
  input: FaultInput;
  hits: number;
  remaining: number;
}

export class RestLimits {
  readonly #faults: FaultState[] = [];
  readonly #buckets = new Map<string, BucketState>();
  readonly #options: Pick<DiscordEmulatorOptions, 'rateLimit' | 'channelMessageRateLimit'>;

  constructor(options: Pick<DiscordEmulatorOptions, 'rateLimit' | 'channelMessageRateLimit'>) {
    this.#options = options;
  }

  /** The next `times` matching requests answer `status` (429 with Retry-After) instead of the route. */
  injectFault(input: FaultInput): Fault {
    const fault: FaultState = { input, hits: 0, remaining: input.times };
    this.#faults.push(fault);
    return fault;
  }

  /** The first injected fault matching the request, used up by one; undefined: none. */
  takeFault(method: string, path: string): FaultState | undefined {
    const fault = this.#faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.input.method || f.input.method.toUpperCase() === method) &&
        f.input.path.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault;
  }

  /** What an injected fault answers: the status, and for 429 Discord's rate-limit headers and body. */
  faultResponse(fault: FaultState): RestResponse {
    const { status } = fault.input;
    if (status !== 429)
      return { status, headers: {}, json: { message: `${status}: emulated server error`, code: 0 } };
    const retryAfter = fault.input.retryAfterSeconds ?? 1;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': fault.input.global ? 'global' : 'user',
    };
    if (fault.input.global) headers['x-ratelimit-global'] = 'true';
    else {
      headers['x-ratelimit-limit'] = '1';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset-after'] = retryAfter.toFixed(3);
    }
    return {
      status,
      headers,
      json: { message: 'You are being rate limited.', retry_after: retryAfter, global: !!fault.input.global },
    };
  }

  /** Discord-like `x-ratelimit-*` headers for a route (from its bucket when limits are enforced). */
  rateLimitHeaders(route: RouteKey | undefined, state?: BucketState): Record<string, string> {
    if (!route) return {};
    // Discord's bucket hash names the route; discord.js adds the major parameter itself.
    const bucket = createHash('sha1')
      .update(state?.shared ?? `${route.method} ${route.pattern}`)
      .digest('hex')
      .slice(0, 16);
    if (state) {
      const resetAfter = Math.max(0, state.resetAt - Date.now()) / 1000;
      return {
        'x-ratelimit-limit': String(state.limit),
        'x-ratelimit-remaining': String(Math.max(0, state.limit - state.count)),
        'x-ratelimit-reset': (state.resetAt / 1000).toFixed(3),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': bucket,
      };
    }
    return {
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '49', // kept high: discord.js throttles proactively once a bucket is known
      'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': '1.000',
      'x-ratelimit-bucket': bucket,
    };
  }

  /** Counts a request against its bucket (route + major parameter) when `rateLimit` is enforced. */
  takeRateLimit(route: RouteKey, params: Record<string, string>): BucketState | undefined {
    const perChannel = this.#options.channelMessageRateLimit;
    if (
      perChannel &&
      params.channelId !== undefined &&
      route.pattern.startsWith('/channels/:channelId/messages') &&
      !route.pattern.includes('/reactions') &&
      route.method !== 'GET'
    ) {
      return this.#takeBucket(`channel-messages ${params.channelId}`, perChannel, 'channel-messages');
    }
    const config = this.#options.rateLimit;
    if (!config || route.pattern.endsWith('/callback')) return undefined;
    const major = params.channelId ?? params.guildId ?? params.token ?? '';
    return this.#takeBucket(`${route.method} ${route.pattern} ${major}`, config);
  }

  #takeBucket(key: string, config: { limit: number; windowMs: number }, shared?: string): BucketState {
    const now = Date.now();
    let state = this.#buckets.get(key);
    if (!state || state.resetAt <= now) {
      state = {
        limit: config.limit,
        count: 0,
        resetAt: now + config.windowMs,
        ...(shared ? { shared } : {}),
      };
      this.#buckets.set(key, state);
    }
    state.count += 1;
    return state;
  }

  /** The 429 for a request over its bucket (the refused request does not use up the window). */
  rateLimitedResponse(route: RouteKey, state: BucketState): RestResponse {
    state.count = state.limit;
    const retryAfter = Math.max(0, state.resetAt - Date.now()) / 1000;
    return {
      status: 429,
      headers: {
        ...this.rateLimitHeaders(route, state),
        'retry-after': retryAfter.toFixed(3),
        'x-ratelimit-scope': 'user',
      },
      json: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    };
  }
}

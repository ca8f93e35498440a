import type { EventEmitter } from 'node:events';
import type { APIApplicationCommand, APIUser } from 'discord-api-types/v10';
import type { GatewayServer } from './GatewayServer.js';
import type { InteractionRecord } from './InteractionRecord.js';
import type { RestLimits } from './RestLimits.js';
import type { DiscordEmulatorOptions, EmulatorEvents, RecordedRestCall } from './types.js';
import type { World } from './World.js';

/** The emulator's options after start() applied the defaults. */
export type EmulatorOptions = Required<
  Pick<
    DiscordEmulatorOptions,
    | 'logFrames'
    | 'maxConcurrency'
    | 'rateLimitHeaders'
    | 'allowPrivilegedIntents'
    | 'enforceIdentifyConcurrency'
  >
> & {
  rateLimit: DiscordEmulatorOptions['rateLimit'];
  channelMessageRateLimit: DiscordEmulatorOptions['channelMessageRateLimit'];
};

/**
 * What the emulator's parts share (REST server, route groups, injections, world controls): one
 * object built by DiscordEmulator, whose own fields these are.
 */
export interface EmulatorCore {
  /** The DiscordEmulator itself: the parts emit its events. */
  readonly events: EventEmitter<EmulatorEvents>;
  readonly world: World;
  readonly gateway: GatewayServer;
  readonly limits: RestLimits;
  readonly options: EmulatorOptions;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly gatewayUrl: string;
  readonly shardCount: number;
  readonly ackDeadlineMs: number;
  readonly tokenLifetimeMs: number;
  /** Registered commands by scope: 'global' or a guild id. */
  readonly commands: Map<string, APIApplicationCommand[]>;
  readonly interactions: Map<string, InteractionRecord>;
  readonly interactionsByToken: Map<string, InteractionRecord>;
  readonly restCalls: RecordedRestCall[];
  readonly unhandledCalls: RecordedRestCall[];
  isAvailable(): boolean;
}

/** The emulator's REST routing: route table types, the JSON answer and path matching. */
import { GatewayIntentBits } from 'discord-api-types/v10';
import type { InteractionRecord } from './InteractionRecord.js';
import type { RecordedRestCall, UploadedFile } from './types.js';

export type Params = Record<string, string>;

export interface RouteContext {
  params: Params;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  call: RecordedRestCall;
  /** Set by interaction/webhook routes so refused calls are recorded on the interaction. */
  interaction?: InteractionRecord;
}

export interface RouteResult {
  status: number;
  json?: unknown;
}

export interface Route {
  method: string;
  pattern: string;
  segments: string[];
  auth: boolean;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** Message flags a bot may set when creating a message (others are Discord's to set). */
export const SETTABLE_FLAGS = 4 | 64 | 4096 | 32768; // SuppressEmbeds | Ephemeral | SuppressNotifications | IsComponentsV2
export const EPHEMERAL = 64;
export const LOADING = 128;
export const MESSAGE_INTENTS = GatewayIntentBits.GuildMessages;
export const json = (status: number, body?: unknown): RouteResult => ({ status, json: body });

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchSegments(pattern: string[], actual: string[]): Params | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) {
      // '@me' / '@original' are literals in other routes; never let a parameter swallow them.
      if (a.startsWith('@')) return undefined;
      params[p.slice(1)] = a;
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}

/** Adds a route to the table (the parts register theirs through it). */
export type AddRoute = (method: string, pattern: string, auth: boolean, handler: Route['handler']) => void;

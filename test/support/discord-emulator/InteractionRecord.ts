import { performance } from 'node:perf_hooks';
import type {
  APIInteraction,
  APIMessage,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import type { InteractionError, InteractionHandle, InteractionResponse } from './types.js';

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One injected interaction: its token, acknowledgement state and everything the bot answered. */
export class InteractionRecord implements InteractionHandle {
  readonly responses: InteractionResponse[] = [];
  readonly errors: InteractionError[] = [];
  readonly followupIds: string[] = [];
  /** Set once the first callback is accepted. */
  ackType: InteractionResponseType | undefined;
  /** The message `@original` refers to (reply, deferred reply, or the component's message). */
  originalMessageId: string | undefined;
  /** True while a deferred reply (type 5) has not been completed by an edit or followup. */
  loading = false;
  ephemeral = false;
  deliveredTo = 0;
  readonly createdHr = performance.now();
  private waiters: Waiter[] = [];

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: InteractionType,
    readonly createdAt: number,
    readonly payload: APIInteraction,
    readonly guildId: string | null,
    readonly channelId: string,
    /** The message carrying the component (component and modal-from-component interactions). */
    readonly sourceMessageId: string | undefined,
    private readonly lookupMessage: (id: string) => APIMessage | undefined,
  ) {}

  get acknowledged(): boolean {
    return this.ackType !== undefined;
  }

  get followups(): APIMessage[] {
    return this.followupIds
      .map((id) => this.lookupMessage(id))
      .filter((m): m is APIMessage => m !== undefined);
  }

  originalMessage(): APIMessage | undefined {
    return this.originalMessageId ? this.lookupMessage(this.originalMessageId) : undefined;
  }

  addResponse(response: Omit<InteractionResponse, 'at' | 'elapsedMs'>): InteractionResponse {
    const full: InteractionResponse = {
      ...response,
      at: Date.now(),
      elapsedMs: performance.now() - this.createdHr,
    };
    this.responses.push(full);
    this.notify();
    return full;
  }

  addError(error: InteractionError): void {
    this.errors.push(error);
    this.notify();
  }

  waitForResponse(timeoutMs = 5000): Promise<InteractionResponse> {
    return this.waitUntil(
      () => this.responses.length > 0,
      () => this.responses[0]!,
      timeoutMs,
      'first response',
    );
  }

  waitForResponses(n: number, timeoutMs = 5000): Promise<InteractionResponse[]> {
    return this.waitUntil(
      () => this.responses.length >= n,
      () => this.responses.slice(),
      timeoutMs,
      `${n} responses`,
    );
  }

  waitForError(timeoutMs = 5000): Promise<InteractionError> {
    return this.waitUntil(
      () => this.errors.length > 0,
      () => this.errors[0]!,
      timeoutMs,
      'refused call',
    );
  }

  /** Rejects every pending wait (emulator closing). */
  abort(reason: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error(reason));
  }

  private notify(): void {
    const pending: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.ready()) w.resolve();
      else pending.push(w);
    }
    this.waiters = pending;
  }

  private waitUntil<T>(ready: () => boolean, value: () => T, timeoutMs: number, what: string): Promise<T> {
    if (ready()) return Promise.resolve(value());
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `interaction ${this.id} (type ${this.type}): no ${what} within ${timeoutMs} ms; ${this.describe()}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve(value());
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private describe(): string {
    const responses = this.responses
      .map((r) => `${r.kind}${r.type !== undefined ? `(${r.type})` : ''}`)
      .join(', ');
    const errors = this.errors
      .map((e) => `${e.method} ${e.path} → ${e.status} ${e.code} ${e.message}`)
      .join('; ');
    return `responses: [${responses}], refused: [${errors}]`;
  }
}

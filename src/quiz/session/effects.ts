/**
 * The shape every session machine shares (solo now, live games next): a pure `step(state, event)`
 * returns the new state and a list of effects; a runner applies the effects in order. Timers are
 * effects too — `schedule` names the event to feed back when it fires, so the machine never holds
 * a timer and its tests drive time by feeding events.
 */

/** What one transition produced. `rejection` set: the event did not apply; `state` is unchanged. */
export interface Step<TState, TEffect, TRejection> {
  state: TState;
  effects: TEffect[];
  rejection?: TRejection;
}

/** Arm (or re-arm) the named timer: at `atMs` the runner feeds `event` back to the machine. */
export interface ScheduleEffect<TTimer extends string, TEvent> {
  type: 'schedule';
  timer: TTimer;
  atMs: number;
  event: TEvent;
}

export interface CancelEffect<TTimer extends string> {
  type: 'cancel';
  timer: TTimer;
}

/** Named, replaceable timers of one session, for runners. Scheduling a name again replaces it. */
export class Timers<TTimer extends string> {
  readonly #cancels = new Map<TTimer, () => void>();

  constructor(readonly schedule: (delayMs: number, callback: () => void) => () => void) {}

  set(timer: TTimer, delayMs: number, callback: () => void): void {
    this.cancel(timer);
    const cancel = this.schedule(Math.max(0, delayMs), () => {
      if (this.#cancels.get(timer) === cancel) this.#cancels.delete(timer);
      callback();
    });
    this.#cancels.set(timer, cancel);
  }

  cancel(timer: TTimer): void {
    this.#cancels.get(timer)?.();
    this.#cancels.delete(timer);
  }

  cancelAll(): void {
    for (const cancel of this.#cancels.values()) cancel();
    this.#cancels.clear();
  }
}

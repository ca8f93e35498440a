/**
 * Components (Discord shards, the database, the analytics exporter) report whether they are ready;
 * `/ready` answers 200 only when every registered component is. A component that never reported is
 * not ready, so registering early (e.g. `discord` before login) keeps the pod out of rotation.
 */
export interface ComponentStatus {
  ready: boolean;
  /** Why the component is not ready, shown in the `/ready` body and logged on change. */
  reason?: string;
}

export type ReadinessListener = (component: string, status: ComponentStatus) => void;

export class ReadinessRegistry {
  readonly #components = new Map<string, ComponentStatus>();
  readonly #listeners = new Set<ReadinessListener>();

  /** Records a component's state; listeners hear only real changes. */
  report(component: string, status: ComponentStatus): void {
    const previous = this.#components.get(component);
    const next: ComponentStatus = status.ready
      ? { ready: true }
      : { ready: false, reason: status.reason ?? 'not ready' };
    this.#components.set(component, next);
    if (previous?.ready === next.ready && previous?.reason === next.reason) return;
    for (const listener of this.#listeners) listener(component, next);
  }

  /** Forgets a component (e.g. a shard this process no longer runs). */
  remove(component: string): void {
    this.#components.delete(component);
  }

  isReady(): boolean {
    if (this.#components.size === 0) return false;
    for (const status of this.#components.values()) if (!status.ready) return false;
    return true;
  }

  /** The reasons of every component that is not ready, keyed by component. */
  failures(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, status] of this.#components)
      if (!status.ready) out[name] = status.reason ?? 'not ready';
    return out;
  }

  snapshot(): Record<string, ComponentStatus> {
    return Object.fromEntries(this.#components);
  }

  onChange(listener: ReadinessListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

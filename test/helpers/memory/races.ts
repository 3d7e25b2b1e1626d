/**
 * Races made deterministic: a test says what another writer does just before one of a store's writes, and the
 * store runs it there. The use-case under test then meets the database as a worker that lost that race does.
 */
export type Hook = () => unknown;

export class Races<Write extends string, Guarded extends Write = never> {
  private readonly hooks = new Map<Write, Hook[]>();
  private readonly losses = new Map<Guarded, number>();
  private inHook = false;

  /**
   * Runs `hook` (awaited) just before the next `write`, once. Hooks queue up per write; writes the hook itself
   * makes on this store run no hooks, so a hook can play another worker using the same store.
   */
  beforeNext(write: Write, hook: Hook): void {
    this.hooks.set(write, [...(this.hooks.get(write) ?? []), hook]);
  }

  /** The next `times` version-guarded `write`s lose: just before each, another writer moves the version on. */
  loseNext(write: Guarded, times = 1): void {
    this.losses.set(write, (this.losses.get(write) ?? 0) + times);
  }

  /** Called by the store as a write begins: runs the pending hook; true when this write is to lose. */
  async enter(write: Write): Promise<boolean> {
    if (this.inHook) return false;
    const hook = this.hooks.get(write)?.shift();
    if (hook !== undefined) {
      this.inHook = true;
      try {
        await hook();
      } finally {
        this.inHook = false;
      }
    }
    const losses = this.losses.get(write as Guarded) ?? 0;
    if (losses === 0) return false;
    this.losses.set(write as Guarded, losses - 1);
    return true;
  }
}

/** A database hands out copies: what a caller does to an object it passed in or got back changes nothing stored. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

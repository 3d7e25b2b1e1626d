/** SessionStore in memory, for unit tests of the UI's sign-in: expiry by the injected clock. */
import type { SessionStore } from '../../../src/use-cases/ports';
import type { Session } from '../../../src/web/auth/sessions';

export class MemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  save(session: Session): Promise<void> {
    this.sessions.set(session.id, { ...session });
    return Promise.resolve();
  }

  find(id: string): Promise<Session | null> {
    const session = this.sessions.get(id);
    return Promise.resolve(session !== undefined && session.expiresAt > this.now() ? { ...session } : null);
  }

  remove(id: string): Promise<void> {
    this.sessions.delete(id);
    return Promise.resolve();
  }
}

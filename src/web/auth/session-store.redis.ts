/**
 * UI sessions in Redis, under QUEUE_PREFIX beside the queues, each expiring with its session. Keys are the
 * hash of the session id, so a look at Redis does not hand out live cookies.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SessionStore } from '../../use-cases/ports';
import type { Session } from './sessions';

const stored = z.object({
  name: z.string().max(200),
  csrfToken: z.string().max(100),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

export function createRedisSessionStore(
  redis: Redis,
  prefix: string,
  now: () => Date = () => new Date(),
): SessionStore {
  const key = (id: string) => `${prefix}:ui-session:${createHash('sha256').update(id).digest('base64url')}`;
  return {
    async save(session) {
      const ms = session.expiresAt.getTime() - now().getTime();
      if (ms <= 0) return;
      const value = JSON.stringify({
        name: session.name,
        csrfToken: session.csrfToken,
        createdAt: session.createdAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
      });
      await redis.set(key(session.id), value, 'PX', ms);
    },
    async find(id) {
      const raw = await redis.get(key(id));
      if (raw === null) return null;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return null;
      }
      const parsed = stored.safeParse(json);
      if (!parsed.success) return null;
      const session: Session = {
        id,
        name: parsed.data.name,
        csrfToken: parsed.data.csrfToken,
        createdAt: new Date(parsed.data.createdAt),
        expiresAt: new Date(parsed.data.expiresAt),
      };
      return session.expiresAt > now() ? session : null;
    },
    async remove(id) {
      await redis.del(key(id));
    },
  };
}

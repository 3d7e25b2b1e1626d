/**
 * Failed sign-ins, counted per name and per client address in this process: past the limit, further attempts
 * are refused until the window has passed, whatever the password. Bounded: at most `maxKeys` counters, the
 * oldest dropped first.
 */
export interface LoginThrottleOptions {
  failuresPerName: number;
  failuresPerAddress: number;
  windowMs: number;
  maxKeys: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  failuresPerName: 10,
  failuresPerAddress: 50,
  windowMs: 15 * 60_000,
  maxKeys: 10_000,
};

export interface LoginThrottle {
  /** Seconds to wait before this name may try again from this address, or 0 when it may now. */
  retryAfterSeconds(name: string, address: string, now: number): number;
  recordFailure(name: string, address: string, now: number): void;
  recordSuccess(name: string): void;
}

export function createLoginThrottle(options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE): LoginThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  const live = (key: string, now: number) => {
    const entry = failures.get(key);
    if (entry !== undefined && now - entry.since >= options.windowMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  const wait = (key: string, limit: number, now: number) => {
    const entry = live(key, now);
    return entry !== undefined && entry.count >= limit
      ? Math.ceil((entry.since + options.windowMs - now) / 1000)
      : 0;
  };
  const bump = (key: string, now: number) => {
    const entry = live(key, now);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    if (failures.size >= options.maxKeys) failures.delete(failures.keys().next().value!);
    failures.set(key, { count: 1, since: now });
  };
  return {
    retryAfterSeconds(name, address, now) {
      return Math.max(
        wait(`name:${name.toLowerCase()}`, options.failuresPerName, now),
        wait(`address:${address}`, options.failuresPerAddress, now),
      );
    },
    recordFailure(name, address, now) {
      bump(`name:${name.toLowerCase()}`, now);
      bump(`address:${address}`, now);
    },
    recordSuccess(name) {
      failures.delete(`name:${name.toLowerCase()}`);
    },
  };
}

/** Reading configuration in tests. */
import { ConfigError, loadConfig } from '../../config';

/** The problems loadConfig names for `env`; fails the test when it accepts it. */
export function configProblemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

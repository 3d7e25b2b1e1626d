/** The README is part of the product: what it tells users to paste and run must be what the code does. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATADOG_CUSTOM_TEMPLATE } from '../../src/sources/datadog/datadog.adapter';

const root = path.resolve(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('README', () => {
  it('when it publishes the Datadog template, then it is the one the adapter reads', () => {
    expect(readme).toContain(DATADOG_CUSTOM_TEMPLATE);
  });

  it('when it names npm scripts, then package.json defines them', () => {
    const named = [...readme.matchAll(/npm (?:run )?([a-z:-]+)/g)].map((m) => m[1]!);
    const builtIn = new Set(['ci', 'test', 'start', 'install']);
    for (const script of named) {
      if (builtIn.has(script) && script !== 'test' && script !== 'start') continue;
      expect(pkg.scripts).toHaveProperty([script]);
    }
  });

  it('when it documents a variable, then the configuration reads it', () => {
    const config = readFileSync(path.join(root, 'config', 'index.ts'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)`\s*\|/gm)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThan(10);
    for (const name of documented) expect(config).toContain(name);
  });
});

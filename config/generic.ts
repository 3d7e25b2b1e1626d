/**
 * Mapped generic endpoints: every `<name>.json` in GENERIC_MAPPINGS_DIR (default config/generic/) is compiled
 * once at start into the source `generic/<name>`, served at POST /webhooks/generic/<name>. Parsed with the
 * rest of the configuration, so a bad mapping stops the start with an error naming the endpoint and the field
 * (`GENERIC_MAPPINGS_DIR: generic/ci: fields.status: …`). Examples to copy are in config/generic-examples/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileMapping, mappedGenericSource } from '../src/sources/generic/mapping';
import type { Source } from '../src/sources';

export const DEFAULT_GENERIC_MAPPINGS_DIR = 'config/generic';
/** More endpoints than anyone maps by hand; each is a route and a token variable. */
export const MAX_GENERIC_MAPPINGS = 100;
/** A mapping is a few dozen lines; a bigger file is a mistake. */
export const MAX_MAPPING_FILE_BYTES = 256 * 1024;

const VARIABLE = 'GENERIC_MAPPINGS_DIR';

export function loadGenericMappings(
  env: { GENERIC_MAPPINGS_DIR?: string },
  cwd = process.cwd(),
): { sources: Source[]; problems: string[] } {
  const dir = path.resolve(cwd, env.GENERIC_MAPPINGS_DIR ?? DEFAULT_GENERIC_MAPPINGS_DIR);
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No directory at the default place: no mapped endpoints. A directory that was named must be there.
    if (env.GENERIC_MAPPINGS_DIR === undefined && code === 'ENOENT') return { sources: [], problems: [] };
    return { sources: [], problems: [`${VARIABLE}: cannot read the directory ${dir} (${code ?? 'error'})`] };
  }
  if (names.length > MAX_GENERIC_MAPPINGS)
    return {
      sources: [],
      problems: [`${VARIABLE}: ${names.length} mapping files in ${dir}; at most ${MAX_GENERIC_MAPPINGS}`],
    };
  const sources: Source[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).size > MAX_MAPPING_FILE_BYTES)
        throw new Error(`${name}: file: is larger than ${MAX_MAPPING_FILE_BYTES} bytes`);
      sources.push(mappedGenericSource(compileMapping(name, fs.readFileSync(file, 'utf8'))));
    } catch (error) {
      problems.push(`${VARIABLE}: ${(error as Error).message}`);
    }
  }
  return { sources, problems };
}

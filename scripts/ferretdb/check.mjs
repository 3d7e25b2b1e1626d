#!/usr/bin/env node
// Checks that a MongoDB-wire server keeps MongoDB's single-document atomicity under concurrent writers.
// CLI:     node scripts/ferretdb/check.mjs mongodb://127.0.0.1:27017/atomicity_check   (exits 1 if any check fails)
// Module:  const { ok, results } = await checkAtomicity(url)   (scripts/test-services.mjs uses it)
// Stock FerretDB 1.24 fails all four checks; the build from build.sh passes them, as MongoDB does.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `mongodb` driver: the project's own (beside this script), else the current folder's. */
function loadMongodb() {
  for (const from of [import.meta.url, path.join(process.cwd(), 'noop.js')]) {
    try {
      return createRequire(from)('mongodb');
    } catch {
      // try the next place
    }
  }
  throw new Error(
    'check.mjs: the mongodb package was not found (mongoose brings it): run `npm ci` in the project first',
  );
}

/**
 * Runs four races of 50 concurrent writers on one document of a fresh collection in the URL's database,
 * then drops the collection. Resolves to { ok, results: [{ name, got, want, ok }] }; rejects only when the
 * server cannot be reached or a command errors.
 */
export async function checkAtomicity(url, { concurrency = 50, serverSelectionTimeoutMS = 5000 } = {}) {
  const { MongoClient } = loadMongodb();
  const client = new MongoClient(url, { maxPoolSize: concurrency, serverSelectionTimeoutMS });
  try {
    await client.connect();
    const col = client.db().collection(`atomicity_${Date.now()}_${randomBytes(4).toString('hex')}`);
    await col.insertOne({ _id: 'doc', n: 0, list: [], version: 0, state: 'pending' });
    const N = concurrency;
    const all = (fn) => Promise.all(Array.from({ length: N }, (_, i) => fn(i)));
    const results = [];
    const record = (name, got, want) => results.push({ name, got, want, ok: got === want });
    try {
      await all(() => col.updateOne({ _id: 'doc' }, { $inc: { n: 1 } }));
      record(`${N} concurrent $inc`, (await col.findOne({ _id: 'doc' })).n, N);
      await all((i) => col.updateOne({ _id: 'doc' }, { $push: { list: i } }));
      record(`${N} concurrent $push`, (await col.findOne({ _id: 'doc' })).list.length, N);
      const cas = await all((i) =>
        col.updateOne({ _id: 'doc', version: 0 }, { $set: { version: 1, by: i } }),
      );
      record(
        `${N} racing version-guarded updates, winners`,
        cas.filter((r) => r.modifiedCount === 1).length,
        1,
      );
      const claims = await all((i) =>
        col.findOneAndUpdate({ _id: 'doc', state: 'pending' }, { $set: { state: 'taken', by: i } }),
      );
      record(`${N} racing findOneAndUpdate claims, winners`, claims.filter(Boolean).length, 1);
    } finally {
      await col.drop().catch(() => {});
    }
    return { ok: results.every((r) => r.ok), results };
  } finally {
    await client.close();
  }
}

/** One line per check, as the CLI prints them. */
export function formatResults(results) {
  return results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.got} (want ${r.want})`).join('\n');
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const url = process.argv[2] || 'mongodb://127.0.0.1:27017/atomicity_check';
  try {
    const { ok, results } = await checkAtomicity(url);
    console.log(formatResults(results));
    process.exit(ok ? 0 : 1);
  } catch (err) {
    console.error(`check.mjs: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}

import mongoose, { type Connection } from 'mongoose';

// Filters are sanitized by mongoose: an object with `$`-keys inside a filter is matched as a literal value,
// not run as an operator, unless the code wraps it in trusted(). Unknown filter paths are dropped. Two guards
// beside the routes' own validation: no filter can be turned into a query by what a request sends.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export interface MongoOptions {
  /** How long a query waits for a reachable server before failing (so a job fails and retries). */
  serverSelectionTimeoutMs?: number;
  maxPoolSize?: number;
  /** Told the name and size (BSON bytes) of every command sent: the bench counts commands per alert. */
  onCommand?: (name: string, bytes: number) => void;
}

/** Opens a connection of its own (not mongoose's global one), so tests and processes can hold several. */
export async function connectMongo(uri: string, options: MongoOptions = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    maxPoolSize: options.maxPoolSize ?? 20,
    monitorCommands: options.onCommand !== undefined,
  });
  const { onCommand } = options;
  if (onCommand !== undefined)
    connection
      .getClient()
      .on('commandStarted', (event) =>
        onCommand(event.commandName, mongoose.mongo.BSON.calculateObjectSize(event.command)),
      );
  await connection.asPromise();
  return connection;
}

export async function pingMongo(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (db === undefined) return false;
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** MongoDB's duplicate-key error, as both MongoDB and FerretDB report it. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** The indexes of the documents a write refused as duplicates; anything else it failed with is thrown again. */
export function duplicateIndexes(error: unknown): number[] {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? null : [writeErrors];
  if (!(error instanceof mongoose.mongo.MongoBulkWriteError) || list === null) throw error;
  const indexes = list.map((e: { code?: number; index?: number }) => {
    if (e.code !== 11000 || typeof e.index !== 'number') throw error;
    return e.index;
  });
  // A write refused in part for another reason reports it without a writeError of its own.
  if (error.writeConcernError != null) throw error;
  return indexes;
}

/**
 * Inserts the documents, each of them or its duplicate already there, in one write; answers the indexes of
 * those that were there already. A server that dropped some without saying which (as FerretDB can when it goes
 * away mid-command) is an error, so the caller's job is retried whole and nothing is taken as written that is not.
 */
export async function insertOrKnown(
  collection: mongoose.mongo.Collection,
  docs: readonly mongoose.mongo.Document[],
  what: string,
): Promise<Set<number>> {
  const existing = new Set<number>();
  if (docs.length === 0) return existing;
  let inserted: number;
  try {
    inserted = (await collection.insertMany([...docs], { ordered: false })).insertedCount;
  } catch (error) {
    for (const index of duplicateIndexes(error)) existing.add(index);
    inserted = (error as { result?: { insertedCount?: number } }).result?.insertedCount ?? -1;
  }
  if (inserted + existing.size !== docs.length)
    throw Object.assign(
      new Error(
        `the ${what} took ${inserted} of ${docs.length} documents and refused ${existing.size} as known`,
      ),
      { name: 'PartialWriteError' },
    );
  return existing;
}

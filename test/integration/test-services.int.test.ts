/**
 * The test infrastructure itself: the MongoDB-wire server keeps MongoDB's guarantees that the code relies on
 * (atomic single-document writes, unique indexes), and a test's own Redis can be stopped and started again.
 */
import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, redisAnswers, startRedisServer, testMongoUri } from '../helpers/servers';

interface Counter {
  _id: string;
  n: number;
  version: number;
  by?: number;
}

interface Keyed {
  key: string;
}

const N = 50;
const uri = testMongoUri('infra');
let conn: Connection;
let counters: Model<Counter>;
let keyed: Model<Keyed>;

beforeAll(async () => {
  conn = await mongoose.createConnection(uri, { autoIndex: false, maxPoolSize: N }).asPromise();
  counters = conn.model<Counter>(
    'Counter',
    new mongoose.Schema<Counter>({ _id: String, n: Number, version: Number, by: Number }),
  );
  keyed = conn.model<Keyed>('Keyed', new mongoose.Schema<Keyed>({ key: { type: String, unique: true } }));
  await keyed.createIndexes();
});

afterAll(async () => {
  await conn?.close();
  await dropTestDatabase(uri);
});

describe('the MongoDB-wire test server', () => {
  it('when 50 writers $inc one document at once, then none of the increments is lost', async () => {
    await counters.create({ _id: 'inc', n: 0, version: 0 });

    await Promise.all(
      Array.from({ length: N }, () => counters.updateOne({ _id: 'inc' }, { $inc: { n: 1 } })),
    );

    expect((await counters.findById('inc').lean())?.n).toBe(N);
  });

  it('when 50 updates guarded by the same version race, then exactly one wins', async () => {
    await counters.create({ _id: 'cas', n: 0, version: 0 });

    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        counters.updateOne({ _id: 'cas', version: 0 }, { $set: { version: 1, by: i } }),
      ),
    );

    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
    const doc = await counters.findById('cas').lean();
    expect(doc?.version).toBe(1);
    expect(results[doc?.by ?? -1]?.modifiedCount).toBe(1);
  });

  it('when a duplicate key is inserted under a unique index, then it fails with code 11000', async () => {
    await keyed.create({ key: 'web-1' });

    await expect(keyed.create({ key: 'web-1' })).rejects.toMatchObject({ code: 11000 });
    expect(await keyed.countDocuments({ key: 'web-1' })).toBe(1);
  });

  it('when each test file asks for a database, then each gets its own valid name', () => {
    const a = testMongoUri('some-prefix.with.dots_and_a_long_tail_beyond_limits');
    const b = testMongoUri('some-prefix.with.dots_and_a_long_tail_beyond_limits');
    const name = (u: string) => /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(u)?.[1] ?? '';

    expect(name(a)).not.toBe(name(b));
    expect(name(a)).toMatch(/^[A-Za-z0-9_]{1,37}$/);
  });
});

describe("a test's own redis-server", () => {
  it('when stopped, then PING fails; when started again, then PING answers on the same port', async () => {
    const redis = await startRedisServer();
    try {
      expect(await redisAnswers(redis.url)).toBe(true);

      await redis.stop();
      expect(await redisAnswers(redis.url)).toBe(false);

      await redis.start();
      expect(await redisAnswers(redis.url)).toBe(true);
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    } finally {
      await redis.stop();
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MongoClient } from 'mongodb';

/** A MongoDB for one test file: its connection string, a database of its own, and how to let go of it. */
export interface TestMongo {
  /** What the tests run against, for their names: `jongodb` or `mongodb (DARKROOM_TEST_MONGODB_URL)`. */
  name: string;
  url: string;
  databaseName: string;
  stop(): Promise<void>;
}

/** How the tests of this file get a MongoDB: a real one named by the environment, the test server, or none. */
export type TestMongoPlan = { kind: 'real'; url: string } | { kind: 'jongodb'; binary: string } | { kind: 'none'; reason: string };

const serverPackage = '@jongodb/memory-server-bin-linux-x64-gnu';
const startTimeoutMs = 20_000;

/**
 * Decides, without starting anything, where this file's MongoDB comes from: `DARKROOM_TEST_MONGODB_URL`
 * (a real MongoDB) when set; else the jongodb binary that the root's optional dependency installs
 * (linux-x64-glibc only). Where neither is there, tests skip, except in CI (`CI` set), where that
 * throws: CI must run the MongoDB tests.
 */
export function testMongoPlan(): TestMongoPlan {
  const url = process.env.DARKROOM_TEST_MONGODB_URL;
  if (url) return { kind: 'real', url };
  try {
    const manifest = createRequire(import.meta.url).resolve(`${serverPackage}/package.json`);
    const binary = (JSON.parse(readFileSync(manifest, 'utf8')) as { jongodb?: { binary?: string } }).jongodb?.binary ?? 'bin/jongodb';
    return { kind: 'jongodb', binary: join(dirname(manifest), binary) };
  } catch (error) {
    const reason = `${serverPackage} is not installed (${process.platform}-${process.arch}; it installs on linux-x64-glibc as an optional dependency) and DARKROOM_TEST_MONGODB_URL is not set`;
    if (process.env.CI) throw new Error(`${reason}: CI must run the MongoDB conversation store tests`, { cause: error });
    process.stderr.write(`WARNING: ${reason}; the MongoDB conversation store tests are skipped on this machine\n`);
    return { kind: 'none', reason };
  }
}

/**
 * Starts this file's MongoDB: on a real server a fresh database (dropped by `stop`); otherwise a
 * jongodb process on a port the operating system picks (`--port=0`: free, and no race to claim it),
 * stopped by `stop`. A server that does not start throws, with its output: it never skips.
 *
 * @example
 * const mongo = await startTestMongo(testMongoPlan());
 * const store = createMongoConversationStore({ url: mongo.url, databaseName: mongo.databaseName });
 * afterAll(() => mongo.stop());
 */
export async function startTestMongo(plan: TestMongoPlan): Promise<TestMongo> {
  const databaseName = `darkroom_test_${randomBytes(6).toString('hex')}`;
  if (plan.kind === 'none') throw new Error(plan.reason);
  if (plan.kind === 'real') {
    return {
      name: 'mongodb (DARKROOM_TEST_MONGODB_URL)',
      url: plan.url,
      databaseName,
      async stop() {
        const client = new MongoClient(plan.url);
        try {
          await client.db(databaseName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const child = spawn(plan.binary, ['--host=127.0.0.1', '--port=0', `--database=${databaseName}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  try {
    const url = await readyUrl(child);
    return {
      name: 'jongodb',
      url,
      databaseName,
      async stop() {
        process.off('exit', stopOnExit);
        await stopProcess(child);
      },
    };
  } catch (error) {
    process.off('exit', stopOnExit);
    child.kill('SIGKILL');
    throw error;
  }
}

/** The connection string the server prints once it listens (`JONGODB_URI=mongodb://127.0.0.1:PORT/db`). */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`The MongoDB test server (jongodb) did not start: ${why}\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`));
    };
    const timer = setTimeout(() => fail(`no JONGODB_URI line within ${startTimeoutMs} ms`), startTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout.length < 10_000) stdout += chunk.toString();
      const found = /^JONGODB_URI=(\S+)/m.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

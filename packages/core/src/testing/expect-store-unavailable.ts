import { expect } from 'vitest';

/** What every store has for readiness. */
export interface ProbedStore {
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Asserts that a store whose backend cannot be reached rejects `ready()` with a typed `unavailable`
 * DarkroomError (503) whose message says what to check, then closes the store.
 *
 * @example
 * await expectStoreUnavailable(createSqlGalleryStore(closedDatabase));
 */
export async function expectStoreUnavailable(store: ProbedStore): Promise<void> {
  try {
    const error = await store.ready().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ name: 'DarkroomError', code: 'unavailable', status: 503 });
    expect((error as Error).message.length).toBeGreaterThan(20);
  } finally {
    await store.close().catch(() => undefined);
  }
}

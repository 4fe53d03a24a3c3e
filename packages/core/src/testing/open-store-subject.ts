import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectStoreUnavailable, type ProbedStore } from './expect-store-unavailable.js';

/** A store under test and how to let go of what it holds (a schema, a database, a server). */
export interface StoreSubject<S> {
  store: S;
  dispose(): Promise<void>;
}

export interface StoreContractOptions<S> {
  /**
   * Opens a store whose backend cannot be reached (a closed database, a port nobody listens on):
   * its `ready()` must reject with `unavailable`. Without it that case is not run.
   */
  openUnreachable?: () => Promise<S>;
}

/**
 * The opening every store contract suite shares, called first inside its `describe`: opens the
 * subject once before the suite's tests and hands its store to `use`, closes the store and disposes
 * of the subject after them, and checks what every store does: it is named and ready when its
 * backend answers and, given `openUnreachable`, its `ready()` rejects with a typed `unavailable`
 * error when the backend cannot be reached.
 *
 * @example
 * let store!: AssetStore;
 * openStoreSubject(open, options, (opened) => (store = opened));
 */
export function openStoreSubject<S extends ProbedStore & { readonly name: string }>(
  open: () => Promise<StoreSubject<S>>,
  options: StoreContractOptions<S>,
  use: (store: S) => void,
): void {
  let subject: StoreSubject<S> | undefined;
  beforeAll(async () => {
    subject = await open();
    use(subject.store);
  });
  afterAll(async () => {
    await subject?.store.close();
    await subject?.dispose();
  });

  it('is named and ready when its backend answers', async () => {
    expect(subject!.store.name).toEqual(expect.any(String));
    expect(subject!.store.name.length).toBeGreaterThan(0);
    await expect(subject!.store.ready()).resolves.toBeUndefined();
  });

  it.runIf(options.openUnreachable !== undefined)('rejects ready() with a typed unavailable error when its backend cannot be reached', async () => {
    await expectStoreUnavailable(await options.openUnreachable!());
  });
}

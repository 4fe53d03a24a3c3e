import type { Engine } from '@darkroom/core';

/** What every route finds on the context. */
export interface ServerEnv {
  Variables: {
    engine: Engine;
    /** The caller's user: everything a route reads or writes is scoped to it. */
    userId: string;
    /** Which credential made the call (rate limits count per key); never the key itself. */
    keyId: string;
    requestId: string;
  };
}

import type { Engine } from '@darkroom/core';

/** What every route finds on the context. */
export interface ServerEnv {
  Variables: {
    engine: Engine;
    userId: string;
    requestId: string;
  };
}

import { describeIdempotencyStoreContract } from '../testing/describe-idempotency-store-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlIdempotencyStore } from './create-sql-idempotency-store.js';

for (const backend of await testDatabases()) {
  describeIdempotencyStoreContract(backend.name, async () => {
    const database = await backend.open();
    return { store: createSqlIdempotencyStore(database.db), dispose: () => database.dispose() };
  });
}

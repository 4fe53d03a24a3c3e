import { describeAssetStoreContract } from '../testing/describe-asset-store-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlAssetStore } from './create-sql-asset-store.js';

for (const backend of await testDatabases()) {
  describeAssetStoreContract(backend.name, async () => {
    const database = await backend.open();
    return { store: createSqlAssetStore(database), dispose: () => database.dispose() };
  }, {
    async openUnreachable() {
      const database = await backend.open();
      await database.dispose();
      return createSqlAssetStore(database);
    },
  });
}

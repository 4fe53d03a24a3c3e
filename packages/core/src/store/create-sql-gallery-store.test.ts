import { describeGalleryStoreContract } from '../testing/describe-gallery-store-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlGalleryStore } from './create-sql-gallery-store.js';

for (const backend of await testDatabases()) {
  describeGalleryStoreContract(backend.name, async () => {
    const database = await backend.open();
    return { store: createSqlGalleryStore(database), dispose: () => database.dispose() };
  }, {
    async openUnreachable() {
      const database = await backend.open();
      await database.dispose();
      return createSqlGalleryStore(database);
    },
  });
}

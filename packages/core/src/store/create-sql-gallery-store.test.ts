import { describeGalleryStoreContract } from '../testing/describe-gallery-store-contract.js';
import { sqlStoreSubject, testDatabases } from '../testing/test-databases.js';
import { createSqlGalleryStore } from './create-sql-gallery-store.js';

for (const backend of await testDatabases()) {
  const { open, options } = sqlStoreSubject(backend, createSqlGalleryStore);
  describeGalleryStoreContract(backend.name, open, options);
}

import { describeAssetStoreContract } from '../testing/describe-asset-store-contract.js';
import { sqlStoreSubject, testDatabases } from '../testing/test-databases.js';
import { createSqlAssetStore } from './create-sql-asset-store.js';

for (const backend of await testDatabases()) {
  const { open, options } = sqlStoreSubject(backend, createSqlAssetStore);
  describeAssetStoreContract(backend.name, open, options);
}

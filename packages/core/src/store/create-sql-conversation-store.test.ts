import { describeConversationStoreContract } from '../testing/describe-conversation-store-contract.js';
import { sqlStoreSubject, testDatabases } from '../testing/test-databases.js';
import { createSqlConversationStore } from './create-sql-conversation-store.js';

for (const backend of await testDatabases()) {
  const { open, options } = sqlStoreSubject(backend, createSqlConversationStore);
  describeConversationStoreContract(backend.name, open, options);
}

import { describeConversationStoreContract } from '../testing/describe-conversation-store-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlConversationStore } from './create-sql-conversation-store.js';

for (const backend of await testDatabases()) {
  describeConversationStoreContract(
    backend.name,
    async () => {
      const database = await backend.open();
      return { store: createSqlConversationStore(database), dispose: () => database.dispose() };
    },
    {
      async openUnreachable() {
        const database = await backend.open();
        await database.dispose();
        return createSqlConversationStore(database);
      },
    },
  );
}

import { describeWebhookOutboxContract } from '../testing/describe-webhook-outbox-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlWebhookOutbox } from './create-sql-webhook-outbox.js';

for (const backend of await testDatabases()) {
  describeWebhookOutboxContract(backend.name, async () => {
    const database = await backend.open();
    return { store: createSqlWebhookOutbox(database), dispose: () => database.dispose() };
  }, {
    async openUnreachable() {
      const database = await backend.open();
      await database.dispose();
      return createSqlWebhookOutbox(database);
    },
  });
}

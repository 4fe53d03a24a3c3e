import { describeWebhookOutboxContract } from '../testing/describe-webhook-outbox-contract.js';
import { sqlStoreSubject, testDatabases } from '../testing/test-databases.js';
import { createSqlWebhookOutbox } from './create-sql-webhook-outbox.js';

for (const backend of await testDatabases()) {
  const { open, options } = sqlStoreSubject(backend, createSqlWebhookOutbox);
  describeWebhookOutboxContract(backend.name, open, options);
}

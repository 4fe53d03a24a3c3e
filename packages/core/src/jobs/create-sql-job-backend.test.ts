import { describeJobBackendContract } from '../testing/describe-job-backend-contract.js';
import { testDatabases } from '../testing/test-databases.js';
import { createSqlJobBackend } from './create-sql-job-backend.js';

for (const database of await testDatabases()) {
  describeJobBackendContract(`sql backend on ${database.name}`, async () => {
    const opened = await database.open();
    return { backend: createSqlJobBackend(opened), dispose: () => opened.dispose() };
  });
}

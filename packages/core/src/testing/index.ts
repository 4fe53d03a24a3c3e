export { describeJobBackendContract, type ContractSubject } from './describe-job-backend-contract.js';
export { testDatabases, postgresUrl, type TestDatabase } from './test-databases.js';
export { describeProviderContract } from './describe-provider-contract.js';
export { testPlugin, paintFeature, enlargeFeature, createInstantProvider, solidPng } from './test-plugin.js';

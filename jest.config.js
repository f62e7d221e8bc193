/**
 * Test layers mirror src/: rules, actions, store, host, h5, weapp.
 * Two projects: everything on SQLite, and the action suites again on the CloudBase adapter over the
 * in-memory stand-in of the service (tests/store/cloudbase-standin.ts), via SHISHI_TEST_STORE.
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.(t|j)sx?$': swc },
};
/** Suites that drive actions through dispatch on a store; pure rules tests run once. */
const actionDirs = ['canteen', 'suggestions', 'surveys', 'visits', 'members', 'dispatch', 'concurrency', 'audit', 'notify', 'matters', 'units', 'leaders'];
module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'sqlite', testMatch: ['**/*.test.ts', '**/*.test.tsx'] },
    {
      ...common,
      displayName: 'cloudbase-standin',
      testMatch: actionDirs.map((d) => `<rootDir>/tests/${d}/**/*.test.ts`),
      testPathIgnorePatterns: ['/node_modules/', 'rules\\.test\\.ts$', '/canteen/token\\.test\\.ts$', '/visits/plan\\.test\\.ts$', '/visits/host-upload\\.test\\.ts$', '/matters/(procedure|similarity)\\.test\\.ts$'],
      setupFiles: ['<rootDir>/tests/support/standin-env.ts'],
    },
  ],
};

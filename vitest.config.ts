import { defineConfig } from 'vitest/config';

/**
 * Four projects: fast unit tests, CDK assertion tests, integration tests that drive the
 * local HTTP server against DynamoDB Local (started once per run by the integration global
 * setup on a free port, and only when integration tests are selected), and the console's
 * component tests in jsdom. The browser tests are vitest.e2e.config.ts (`npm run test:e2e`):
 * they need chromium, which `npm test` must not.
 */
export default defineConfig({
  test: {
    // The normal summary, plus a machine-readable report CI counts "N passed, N failed" from.
    reporters: ['default', 'json'],
    outputFile: { json: '.local/test-results.json' },
    // Two cores: two test files at a time; DynamoDB Local's JVM takes the rest. The integration setup starts
    // one DynamoDB Local per worker (INTEGRATION_WORKERS in test/helpers/dynamodb-global-setup.ts): keep the two equal.
    maxWorkers: 2,
    env: {
      // Node 20 is the documented local runtime; the SDK's reminder is noise in every worker.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'console',
          include: ['console/test/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['console/test/setup.ts'],
          // A guard against hangs, as below: jsdom typing a whole form took 17 s alone and over 30 s
          // on a loaded 2-core machine (the SSO connections test).
          testTimeout: 90_000,
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.integ.test.ts'],
          globalSetup: ['test/helpers/dynamodb-global-setup.ts'],
          setupFiles: ['test/helpers/integration-env.ts'],
          // A guard against hangs, not a speed check (speed is the bench's): a 2-core CI machine
          // running DynamoDB Local and several test files at once can take a while.
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

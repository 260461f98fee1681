import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the console in Debian's chromium (playwright-core) against the local
 * stack, which each test file starts on free ports (its own table in the run's DynamoDB Local,
 * the SES emulator, the table stream, the built console). Kept out of `npm test`, which must
 * pass on a machine without chromium; `.ci/run` runs both.
 */
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.local/e2e-results.json' },
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/browser/**/*.e2e.test.ts'],
          globalSetup: ['test/helpers/dynamodb-global-setup.ts', 'test/helpers/console-build-global-setup.ts'],
          setupFiles: ['test/helpers/integration-env.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});

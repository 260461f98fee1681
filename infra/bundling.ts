/**
 * How every function is bundled, in one place: the CDK `ApiFunction` construct and the bench
 * (`npm run bench`) both use it, so the bench measures exactly what Lambda loads.
 * Pure data: no CDK import.
 */
export const LAMBDA_NODE_TARGET = 'node22';

export const BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: LAMBDA_NODE_TARGET,
  minify: true,
  sourcemap: true,
  /** Resolve ESM entry points first: smaller, tree-shakeable bundles. */
  mainFields: ['module', 'main'],
  /** Some dependencies still call require(); give ESM bundles a require. */
  banner:
    "import { createRequire as __roster_createRequire } from 'module'; const require = __roster_createRequire(import.meta.url);",
  /** Bundle the AWS SDK too: a pinned, tree-shaken copy loads faster than the runtime's. */
  externalModules: [] as string[],
} as const;

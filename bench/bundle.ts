import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLING } from '../infra/bundling.js';
import { PROJECT_ROOT } from './paths.js';

/** What one esbuild run produced. */
export interface Bundle {
  /** Absolute path of the `.mjs` file. */
  outfile: string;
  /** Size of the `.mjs` file alone (the source map is loaded only for stack traces). */
  bytes: number;
  /** Module names the bundle exports (`handler` for a function). */
  exports: string[];
  /** AWS SDK client packages (and `@aws-sdk/lib-dynamodb`) with code left in the bundle. */
  sdkPackages: string[];
}

/** Client packages and the document client: the "bare AWS SDK clients" of DESIGN.md §5. */
const SDK_PACKAGE = /^(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\//;

/** The BUNDLING options passed on below; a new one there must be passed here too, or the bench stops. */
const PASSED_OPTIONS = new Set([
  'format',
  'platform',
  'target',
  'minify',
  'sourcemap',
  'mainFields',
  'banner',
  'externalModules',
]);

/**
 * Bundles one entry with exactly the options CDK's NodejsFunction gets (infra/bundling.ts),
 * from the project root as CDK does, to `<outdir>/index.mjs` as CDK names it.
 */
export async function bundle(entry: string, outdir: string): Promise<Bundle> {
  const unknown = Object.keys(BUNDLING).filter((option) => !PASSED_OPTIONS.has(option));
  if (unknown.length > 0)
    throw new Error(`infra/bundling.ts has options bench/bundle.ts does not pass to esbuild: ${unknown.join(', ')}`);
  const outfile = `${outdir}/index.mjs`;
  const result = await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    metafile: true,
    logLevel: 'error',
  });
  const output = result.metafile.outputs[relative(PROJECT_ROOT, outfile)];
  if (!output) throw new Error(`esbuild's metafile has no entry for ${outfile}`);
  return { outfile, bytes: (await stat(outfile)).size, exports: output.exports, sdkPackages: sdkPackagesOf(output) };
}

function sdkPackagesOf(output: Metafile['outputs'][string]): string[] {
  const packages = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    // Tree-shaken away entirely: the function does not carry that client.
    if (bytesInOutput === 0) continue;
    const packagePath = input.split('node_modules/').at(-1) ?? '';
    const name = SDK_PACKAGE.exec(packagePath)?.[1];
    if (name && input.includes('node_modules/')) packages.add(name);
  }
  return [...packages].sort();
}

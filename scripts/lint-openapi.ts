/**
 * `npm run lint:openapi`: writes the OpenAPI document GET /openapi.json serves (generated
 * in-process, no server) to .local/openapi.json and lints it with Redocly's recommended
 * ruleset. Exits non-zero on any error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../shared/api/openapi.js';

const dir = join(process.cwd(), '.local');
const file = join(dir, 'openapi.json');
mkdirSync(dir, { recursive: true });
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
const result = spawnSync(
  join(process.cwd(), 'node_modules', '.bin', 'redocly'),
  ['lint', '--extends=recommended', '--format=stylish', file],
  { stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
);
process.exit(result.status ?? 1);

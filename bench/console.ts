import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../local/ensure-table.js';
import { DEMO } from '../local/seed.js';
import { BENCH_PASSWORD } from './api-client.js';
import type { BenchStack } from './bench-stack.js';
import { measureInitialJs, type InitialJsReport } from './console-bundle.js';
import { measureFirstMembersPage, type ConsolePageReport } from './console-page.js';
import { SMALL_ORG_MEMBERS, seedOrg } from './list-scale.js';
import { CONSOLE_DIST_DIR } from '../local/paths.js';

/** Where the console shows an org's members. */
export const membersPath = (orgId: string) => `/orgs/${orgId}/members`;

export interface ConsoleBenchReport {
  initialJs: InitialJsReport;
  firstMembersPage: ConsolePageReport;
}

/**
 * Issue 14's console figures: the initial JavaScript of console/dist, and in Chromium the time
 * to the first members page at a small and a large org. `orgs` are the list-scale bench's
 * (already seeded); absent, the two orgs are seeded here the same way.
 */
export async function measureConsole(
  stack: BenchStack,
  options: { orgs?: { small: string; large: string }; largeMembers: number; samples: number },
  progress: (line: string) => void,
): Promise<ConsoleBenchReport> {
  const initialJs = await measureInitialJs(CONSOLE_DIST_DIR);
  if (initialJs.status === 'skipped')
    return { initialJs, firstMembersPage: { status: 'skipped', reason: initialJs.reason } };
  let orgs = options.orgs;
  if (!orgs) {
    const client = DynamoDBDocumentClient.from(localDynamoClient(stack.table.endpoint), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    try {
      progress(`console page: seeding orgs of ${SMALL_ORG_MEMBERS} and ${options.largeMembers} members`);
      const small = await seedOrg(stack, 'Small Org', SMALL_ORG_MEMBERS, 10, client, progress);
      const large = await seedOrg(stack, 'Large Org', options.largeMembers, 100_000, client, progress);
      orgs = { small: small.orgId, large: large.orgId };
    } finally {
      client.destroy();
    }
  }
  let firstMembersPage: ConsolePageReport;
  try {
    firstMembersPage = await measureFirstMembersPage(
      {
        baseUrl: stack.api.url,
        email: DEMO.admin.email,
        password: BENCH_PASSWORD,
        orgs: [
          // The seeded members plus the admin createOrg made.
          { label: 'small', orgId: orgs.small, members: SMALL_ORG_MEMBERS + 1 },
          { label: 'large', orgId: orgs.large, members: options.largeMembers + 1 },
        ],
        samples: options.samples,
        membersPath,
      },
      progress,
    );
  } catch (error) {
    firstMembersPage = { status: 'skipped', reason: (error as Error).message.split('\n')[0] ?? String(error) };
  }
  return { initialJs, firstMembersPage };
}

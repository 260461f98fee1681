import { database, type Database } from '../shared/data/dynamo-client.js';
import { startBenchApi, type BenchApi } from './api-client.js';
import { startLocalTable, type LocalTable } from './local-table.js';
import { RoundTripCounter } from './round-trip-counter.js';

/** What the table-backed measurements share: one DynamoDB Local, one API, one counter. */
export interface BenchStack {
  table: LocalTable;
  api: BenchApi;
  /** Installed on the handlers' shared client (database()). */
  counter: RoundTripCounter;
  /** The handlers' own client, for arranging and inspecting items directly. */
  db: Database;
}

/**
 * DynamoDB Local (in memory) with the single table, the counter on the handlers' client, the
 * local API seeded and signed in; `work` runs against it, and everything is stopped after.
 */
export async function withBenchStack<T>(
  progress: (line: string) => void,
  work: (stack: BenchStack) => Promise<T>,
): Promise<T> {
  progress('starting DynamoDB Local');
  const table = await startLocalTable(progress);
  try {
    const counter = new RoundTripCounter();
    const db = database();
    counter.install(db.client);
    progress('starting the local API, seeding, signing in');
    const api = await startBenchApi();
    try {
      return await work({ table, api, counter, db });
    } finally {
      await api.close();
    }
  } finally {
    await table.stop();
  }
}

import type { Server } from 'node:http';
import sesServerModule from 'aws-ses-v2-local';
import { assertPortFree, PortInUseError } from './ports.js';

/** The package is CommonJS with `exports.default`; under Node's ESM loader that is one level down. */
type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
const startSesServer: StartSes =
  typeof sesServerModule === 'function'
    ? sesServerModule
    : (sesServerModule as unknown as { default: StartSes }).default;

export interface SesEmulator {
  /** SES API endpoint for the SDK (SES_ENDPOINT); the web inbox is served at its root. */
  endpoint: string;
  /** The stored mails as JSON. */
  storeUrl: string;
  stop(): Promise<void>;
}

/**
 * Runs aws-ses-v2-local in this process: SES v1/v2 SendEmail, a web inbox at `/`, and every
 * mail as JSON at `GET /store`.
 */
export async function startSesEmulator(port: number, host = '127.0.0.1'): Promise<SesEmulator> {
  await assertPortFree(port, 'SES emulator', 'SES_PORT');
  const server = await startSesServer({ host, port });
  // Express 5 hands a listen error to the callback, which the package ignores: check ourselves.
  if (!server.listening) throw new PortInUseError(port, 'SES emulator', 'SES_PORT');
  const endpoint = `http://localhost:${port}`;
  return {
    endpoint,
    storeUrl: `${endpoint}/store`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import { createServer } from 'node:net';

/** A port the OS reports free right now (bound to 0, read, released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('No port assigned')),
      );
    });
  });
}

/** Thrown when a port the local stack needs is held by another process. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
    envName?: string,
  ) {
    super(
      `Port ${port} (${what}) is already in use${envName ? `; stop whatever holds it or set ${envName} to another port` : ''}.`,
    );
    this.name = 'PortInUseError';
  }
}

/** Fails with a PortInUseError naming the service and its env variable when `port` is taken. */
export function assertPortFree(port: number, what: string, envName?: string, host = '0.0.0.0'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortInUseError(port, what, envName) : error);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

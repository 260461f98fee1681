import { cpus, freemem, loadavg, platform, release, arch, totalmem } from 'node:os';
import { version as esbuildVersion } from 'esbuild';
import { LAMBDA_NODE_TARGET } from '../infra/bundling.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  esbuild: string;
  bundleTarget: string;
  /** 1-minute load average when the bench started: a busy machine skews milliseconds. */
  loadAverage: number;
}

export function describeMachine(): Machine {
  const processors = cpus();
  const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    esbuild: esbuildVersion,
    bundleTarget: LAMBDA_NODE_TARGET,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

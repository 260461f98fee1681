import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_CREATIONS_PER_SECOND, ENV, readConfig } from '../../shared/config.js';

const base = { [ENV.tableName]: 'T', [ENV.identityMode]: 'local' };

describe('readConfig', () => {
  it('paces bulk identity creation at half the default Cognito quota unless told otherwise', () => {
    expect(readConfig(base).userCreationsPerSecond).toBe(DEFAULT_USER_CREATIONS_PER_SECOND);
    expect(readConfig({ ...base, [ENV.userCreationsPerSecond]: '40' }).userCreationsPerSecond).toBe(40);
  });

  it('refuses a pace that is not a positive number at cold start', () => {
    expect(() => readConfig({ ...base, [ENV.userCreationsPerSecond]: '0' })).toThrow(/USER_CREATIONS_PER_SECOND/);
    expect(() => readConfig({ ...base, [ENV.userCreationsPerSecond]: 'fast' })).toThrow(/positive number/);
  });

  it('names every missing required variable', () => {
    expect(() => readConfig({})).toThrow(/TABLE_NAME[\s\S]*USER_POOL_ID/);
  });
});

import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.js';

describe('readConfig', () => {
  it('names every missing required variable', () => {
    expect(() => readConfig({})).toThrow(/TABLE_NAME[\s\S]*USER_POOL_ID/);
  });
});

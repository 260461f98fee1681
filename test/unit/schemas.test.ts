import { describe, expect, it } from 'vitest';
import { displayName, nameText, oneLine } from '../../shared/schemas.js';

describe('the one name rule', () => {
  it.each([
    ['a line feed', 'Ann\nBcc: all@example.com'],
    ['a carriage return', 'Ann\rExample'],
    ['a tab', 'Ann\tExample'],
    ['a NUL', 'Ann\u0000'],
    ['DEL', 'Ann\u007f'],
    ['a C1 control', 'Ann\u0085Example'],
    ['a line separator', 'Ann\u2028Example'],
    ['a paragraph separator', 'Ann\u2029Example'],
  ])('refuses a name with %s', (_, name) => {
    expect(displayName.safeParse(name).success).toBe(false);
    expect(nameText(100).safeParse(name).success).toBe(false);
  });

  it('accepts names in any script, with accents, emoji and inner spaces, trimmed', () => {
    for (const name of ['José Ñúñez', '山田 太郎', 'Zoë 🚀', "O'Brien-Smith", '  Grace Hopper  ']) {
      const parsed = displayName.safeParse(name);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toBe(name.trim());
    }
  });

  it('keeps the length limits after trimming', () => {
    expect(nameText(3).safeParse(' abc ').success).toBe(true);
    expect(nameText(3).safeParse('abcd').success).toBe(false);
    expect(nameText(3).safeParse('   ').success).toBe(false);
  });

  it('makes an identity provider’s name one line instead of refusing it', () => {
    expect(oneLine('Ann\r\n\tExample ')).toBe('Ann Example');
    expect(oneLine('Ann\u2028Example')).toBe('Ann Example');
    expect(oneLine('Plain')).toBe('Plain');
  });
});

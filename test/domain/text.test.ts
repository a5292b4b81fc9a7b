import { describe, expect, it } from 'vitest';
import { controlCharacterIn } from '../../src/domain/text.js';

describe('control characters in text', () => {
  it('finds NUL, the other C0 controls, DEL and the C1 controls, named as U+XXXX', () => {
    expect(controlCharacterIn('Acme\u0000Corp')).toBe('U+0000');
    expect(controlCharacterIn('\u0007')).toBe('U+0007');
    expect(controlCharacterIn('a\rb')).toBe('U+000D');
    expect(controlCharacterIn('esc \u001b[31m')).toBe('U+001B');
    expect(controlCharacterIn('del\u007f')).toBe('U+007F');
    expect(controlCharacterIn('next line\u0085')).toBe('U+0085');
    expect(controlCharacterIn('\u009f')).toBe('U+009F');
  });

  it('tab and newline are text; so is everything printable, in any script', () => {
    expect(controlCharacterIn('Line one\n\tLine two')).toBeNull();
    expect(controlCharacterIn('Zürich – 東京 · 🏢 ©')).toBeNull();
    expect(controlCharacterIn('')).toBeNull();
    expect(controlCharacterIn('\u00a0non-breaking')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { tidyFloats } from '../../app/views/Tables/TableContents.tsx';

describe('tidyFloats', () => {
  it('reads floating-point noise as the number a person wrote', () => {
    expect(tidyFloats('["erlang", [], 7490.599999999977]')).toBe('["erlang", [], 7490.6]');
    expect(tidyFloats('{t: 0.30000000000000004}')).toBe('{t: 0.3}');
  });

  it('leaves short numbers and integers as they are', () => {
    expect(tidyFloats('[1.5, 42, 3.14159, 1234567]')).toBe('[1.5, 42, 3.14159, 1234567]');
  });
});

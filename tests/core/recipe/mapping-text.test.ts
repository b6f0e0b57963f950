import { describe, expect, it } from 'vitest';
import { mappingFromText, mappingToText } from '../../../src/core/recipe/mapping-text';

describe('the text form of a value map', () => {
  it('keeps spaces at the ends of a value, which bare text would trim away', () => {
    const mapping = [
      { from: 'North ', to: 'North' },
      { from: ' South', to: 'South' },
      { from: 'east', to: 'East' },
      { from: '', to: null },
      { from: 'a -> b', to: '"quoted"' },
      { from: 'gone', to: null },
      { from: 'pad', to: ' padded ' },
    ];
    const text = mappingToText(mapping);
    expect(text.split('\n')).toEqual([
      '"North " -> North',
      '" South" -> South',
      'east -> East',
      '"" -> ',
      '"a -> b" -> "\\"quoted\\""',
      'gone -> ',
      'pad -> " padded "',
    ]);
    expect(mappingFromText(text)).toEqual(mapping);
  });

  it('reads what an analyst types: bare values trimmed, blank lines and lines without an arrow skipped', () => {
    expect(mappingFromText('  north->North \n\nnot a mapping\nNrth ->   North\nX ->\n"  " -> blank')).toEqual([
      { from: 'north', to: 'North' },
      { from: 'Nrth', to: 'North' },
      { from: 'X', to: null },
      { from: '  ', to: 'blank' },
    ]);
  });

  it('takes an unclosed quote as bare text', () => {
    expect(mappingFromText('"North -> North')).toEqual([{ from: '"North', to: 'North' }]);
  });
});

import { maxSessionTitleLength, z } from '@darkroom/plugin-api';
import { describe, expect, it } from 'vitest';
import { checkSessionFields } from './check-session-fields.js';

const refusal = (fields: Record<string, unknown>) => {
  try {
    checkSessionFields(fields);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('checkSessionFields', () => {
  it("counts characters as the API's schemas do (Unicode code points), and says so when refusing", () => {
    const documented = z.string().max(maxSessionTitleLength);
    const rings = '💍'.repeat(150);
    expect(documented.safeParse(rings).success).toBe(true);
    expect(checkSessionFields({ title: rings })).toEqual({ title: rings });
    const tooLong = '💍'.repeat(201);
    expect(documented.safeParse(tooLong).success).toBe(false);
    expect(refusal({ title: tooLong })).toMatchObject({ code: 'invalid_input', message: 'title is 201 characters (Unicode code points) long; the limit is 200: shorten it', details: { field: 'title' } });
    expect(refusal({ description: 'x'.repeat(2001) })).toMatchObject({ message: expect.stringMatching(/^description is 2001 characters \(Unicode code points\) long; the limit is 2000/) });
  });

  it('stores titles and descriptions trimmed and refuses text that shows nothing, saying to send null', () => {
    expect(checkSessionFields({ title: '  Rings\n', description: '\tGold, white background ' })).toEqual({ title: 'Rings', description: 'Gold, white background' });
    expect(checkSessionFields({ title: null })).toEqual({ title: null });
    for (const blank of ['', '   ', '\u200b\u200b', ' \u2060\ufeff\u00ad ', '\u3000']) {
      expect(refusal({ title: blank }), JSON.stringify(blank)).toMatchObject({ code: 'invalid_input', message: 'title is empty (or only spaces or invisible characters): send null for no title, or text to show', details: { field: 'title' } });
    }
    expect(refusal({ description: ' ' })).toMatchObject({ message: expect.stringMatching(/send null for no description/) });
    // The limit counts what is stored: a title of 200 characters with spaces around it is taken.
    expect(checkSessionFields({ title: ` ${'x'.repeat(200)} ` }).title).toHaveLength(200);
  });
});

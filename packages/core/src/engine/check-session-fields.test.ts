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
});

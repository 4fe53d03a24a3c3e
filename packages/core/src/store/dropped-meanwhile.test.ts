import { describe, expect, it } from 'vitest';
import { droppedMeanwhile } from './create-database.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('a catalog read another schema\'s drop interrupted', () => {
  it('is retried for a vanished schema or table of another schema, never for our own or other errors', () => {
    expect(droppedMeanwhile(pgError('3F000', 'schema "darkroom_test_aaa" does not exist'), 'darkroom_test_bbb')).toBe(true);
    expect(droppedMeanwhile(pgError('42P01', 'relation "darkroom_test_aaa.job_steps" does not exist'), 'darkroom_test_bbb')).toBe(true);
    expect(droppedMeanwhile(pgError('42P01', 'relation "darkroom_test_bbb.job_steps" does not exist'), 'darkroom_test_bbb')).toBe(false);
    expect(droppedMeanwhile(pgError('3F000', 'schema "darkroom_test_bbb" does not exist'), 'darkroom_test_bbb')).toBe(false);
    expect(droppedMeanwhile(pgError('42703', 'column "refined_prompt" of relation "gallery" does not exist'), 'darkroom_test_bbb')).toBe(true);
    expect(droppedMeanwhile(pgError('23505', 'duplicate key'), 'darkroom_test_bbb')).toBe(false);
    expect(droppedMeanwhile(new Error('no code'), undefined)).toBe(false);
  });
});

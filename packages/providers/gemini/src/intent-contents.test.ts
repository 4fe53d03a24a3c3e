import { describe, expect, it } from 'vitest';
import { intentContents } from './intent-contents.js';

describe('intentContents', () => {
  it('sends earlier turns as Gemini function-calling turns, then the message', () => {
    const contents = intentContents({
      message: 'make it rose gold',
      history: [
        { role: 'assistant', text: 'Welcome back' },
        { role: 'user', text: 'a gold ring' },
        { role: 'assistant', text: 'Here is your ring', calls: [{ name: 'jewelry-design', args: { piece: 'ring' } }] },
        { role: 'user', text: 'thanks' },
        { role: 'assistant', text: 'Which stone?' },
      ],
    });
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'a gold ring' }] },
      { role: 'model', parts: [{ functionCall: { name: 'jewelry-design', args: { piece: 'ring' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'jewelry-design', response: { output: 'done' } } }] },
      { role: 'model', parts: [{ text: 'Here is your ring' }] },
      { role: 'user', parts: [{ text: 'thanks' }] },
      { role: 'model', parts: [{ text: 'Which stone?' }] },
      { role: 'user', parts: [{ text: 'make it rose gold' }] },
    ]);
  });

  it('is one user turn without history', () => {
    expect(intentContents({ message: 'upscale it' })).toEqual([{ role: 'user', parts: [{ text: 'upscale it' }] }]);
  });
});

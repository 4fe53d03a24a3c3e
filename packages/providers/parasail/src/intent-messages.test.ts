import { describe, expect, it } from 'vitest';
import { intentMessages } from './intent-messages.js';

describe('intentMessages', () => {
  it('sends earlier turns as OpenAI-format tool calls and tool results, then the message', () => {
    const messages = intentMessages({
      message: 'make it rose gold',
      tools: [],
      history: [
        { role: 'user', text: 'a gold ring' },
        { role: 'assistant', text: 'Here is your ring', calls: [{ name: 'jewelry-design', args: { piece: 'ring' } }] },
      ],
    });
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'a gold ring' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'jewelry-design', arguments: '{"piece":"ring"}' } }] },
      { role: 'tool', tool_call_id: 'call_1_0', content: 'done' },
      { role: 'assistant', content: 'Here is your ring' },
      { role: 'user', content: 'make it rose gold' },
    ]);
    expect(messages[0]!.role).toBe('system');
  });
});

import type OpenAI from 'openai';
import { intentInstruction, type IntentRequestSpec } from '@darkroom/core';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/**
 * An intent request as OpenAI-format chat messages: the system instruction, the conversation's
 * earlier turns, then the message. A finished assistant turn that ran features is an assistant
 * message with `tool_calls`, a `tool` message answering each, and the assistant's reply, as
 * OpenAI-compatible APIs expect a tool-calling conversation to read.
 *
 * @example
 * intentMessages({ message: 'make it rose gold', tools, history: [{ role: 'assistant', text: 'Here it is', calls: [{ name: 'jewelry-design', args: { piece: 'ring' } }] }] });
 */
export function intentMessages(request: IntentRequestSpec): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: intentInstruction(request) }];
  for (const [turnIndex, turn] of (request.history ?? []).entries()) {
    if (turn.role === 'user') {
      messages.push({ role: 'user', content: turn.text });
      continue;
    }
    const calls = (turn.calls ?? []).map((call, index) => ({ id: `call_${turnIndex}_${index}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.args) } }));
    if (calls.length > 0) {
      messages.push({ role: 'assistant', content: null, tool_calls: calls });
      for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: 'done' });
    }
    if (turn.text) messages.push({ role: 'assistant', content: turn.text });
  }
  messages.push({ role: 'user', content: request.message });
  return messages;
}

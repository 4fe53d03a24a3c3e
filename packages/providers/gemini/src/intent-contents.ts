import type { Content, Part } from '@google/genai';
import type { IntentRequestSpec } from '@darkroom/core';

/**
 * An intent request as Gemini's `contents`: the conversation's earlier turns, then the message.
 * A finished assistant turn that ran features is the model's `functionCall` parts, the user side's
 * `functionResponse` parts and the model's reply text, as Gemini's own function-calling turns are;
 * consecutive parts of one role share a content, and the contents open with a user turn.
 *
 * @example
 * intentContents({ message: 'make it rose gold', tools, history: [{ role: 'user', text: 'a gold ring' }, { role: 'assistant', text: 'Here it is', calls: [{ name: 'jewelry-design', args: { piece: 'ring' } }] }] });
 * // [{ role: 'user', parts: [{ text: 'a gold ring' }] }, { role: 'model', parts: [{ functionCall: … }] }, { role: 'user', parts: [{ functionResponse: … }] }, { role: 'model', parts: [{ text: 'Here it is' }] }, { role: 'user', parts: [{ text: 'make it rose gold' }] }]
 */
export function intentContents(request: Pick<IntentRequestSpec, 'message' | 'history'>): Content[] {
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0 || (contents.length === 0 && role === 'model')) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  for (const turn of request.history ?? []) {
    const said = turn.text ? [{ text: turn.text }] : [];
    if (turn.role === 'user') {
      push('user', said);
      continue;
    }
    const calls = turn.calls ?? [];
    push('model', calls.map((call) => ({ functionCall: { name: call.name, args: call.args } })));
    push('user', calls.map((call) => ({ functionResponse: { name: call.name, response: { output: 'done' } } })));
    push('model', said);
  }
  push('user', [{ text: request.message }]);
  return contents;
}

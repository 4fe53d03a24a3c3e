import type { ApiRoutes } from '../openapi/api-routes.js';
import { refinement, refineRequest, validateRequest, validation } from '../schemas/prompt-schemas.js';
import { toWirePromptValidation, toWireRefinement } from '../wire/index.js';

/** Seeds 001/002's prompt service: refine (with the intent the chat flow would see) and validate. */
export function promptRoutes(routes: ApiRoutes): void {
  for (const [prefix, name] of [['/v1/prompt', ''], ['/api/v1/prompt-refinement', 'Seed002']] as const) {
    routes.add(
      { method: 'post', path: `${prefix}/refine`, operationId: `refinePrompt${name}`, summary: 'Improves a prompt: quality and style keywords, translation, negative prompt, suggestions', tag: 'Prompt', body: refineRequest, responses: { 200: { description: 'The refinement', schema: refinement } } },
      async (c, { body }) => {
        const engine = c.get('engine');
        const text = (body.original_prompt ?? body.prompt) as string;
        const style = (body.context as { style?: string } | undefined)?.style;
        const [refined, plan] = await Promise.all([engine.prompt.refine(text, { signal: c.req.raw.signal, ...(style ? { style } : {}) }), engine.prompt.plan(text)]);
        const first = plan.intents[0];
        return { status: 200, body: { ...toWireRefinement(refined), intent: { name: first?.intent ?? null, feature: first?.feature ?? null, confidence: plan.confidence } } };
      },
    );
    routes.add(
      { method: 'post', path: `${prefix}/validate`, operationId: `validatePrompt${name}`, summary: 'Checks a prompt: length, content, what is missing', tag: 'Prompt', body: validateRequest, responses: { 200: { description: 'The verdict', schema: validation } } },
      async (c, { body }) => ({ status: 200, body: toWirePromptValidation(await c.get('engine').prompt.validate(body.prompt as string)) }),
    );
  }
}

import { apiRoutes } from '@darkroom/api';
import type { ApiRoutes, MountedRoute } from '../openapi/api-routes.js';
import { toWirePromptValidation, toWireRefinement } from '../wire/index.js';

/** The prompt service: refine (with the intent the chat flow would see) and validate, at its own paths and the compatibility ones. */
export function promptRoutes(routes: ApiRoutes): void {
  const refine = (route: MountedRoute) =>
    routes.add(route, async (c, { body }) => {
      const engine = c.get('engine');
      const text = (body.original_prompt ?? body.prompt) as string;
      const style = (body.context as { style?: string } | undefined)?.style;
      const [refined, plan] = await Promise.all([engine.prompt.refine(text, { signal: c.req.raw.signal, ...(style ? { style } : {}) }), engine.prompt.plan(text)]);
      const first = plan.intents[0];
      return { status: 200, body: { ...toWireRefinement(refined), intent: { name: first?.intent ?? null, feature: first?.feature ?? null, confidence: plan.confidence } } };
    });
  const validate = (route: MountedRoute) => routes.add(route, async (c, { body }) => ({ status: 200, body: toWirePromptValidation(await c.get('engine').prompt.validate(body.prompt as string)) }));
  refine(apiRoutes.refinePrompt);
  validate(apiRoutes.validatePrompt);
  refine(apiRoutes.refinePromptCompat);
  validate(apiRoutes.validatePromptCompat);
}

import { createOfflineRouter } from './eval-intent.ts';
const router = createOfflineRouter();
for (const m of process.argv.slice(2)) for (const ctx of [{}, { contextImageId: 'ast_x' }]) {
  const plan = await router.plan(m, ctx);
  console.log(JSON.stringify(m), ctx.contextImageId ? 'IMG' : 'no', JSON.stringify(plan.steps.map(s => [s.feature, s.input])), (plan.clarification ?? '').slice(0, 50).replace(/\n/g,' '), plan.intents.map(i=>i.feature).join(','));
}

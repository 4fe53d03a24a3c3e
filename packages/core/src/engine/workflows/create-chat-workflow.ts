import { errors } from '@darkroom/plugin-api';
import type { EventBus } from '../../events/event-bus.js';
import type { Detection } from '../../intent/intent-detector.js';
import { intentRecords, type ChatPlan, type IntentRouter } from '../../intent/intent-router.js';
import { defineWorkflow } from '../../jobs/define-workflow.js';
import { afterUnitOfWork, joinUnitOfWork } from '../../store/unit-of-work.js';
import { recordTurnMessages } from '../record-turn-messages.js';
import type { FeatureRegistry } from '../../registry/feature-registry.js';
import type { ConversationStore, MessageData, MessageImage } from '../../store/conversation-store.js';
import type { FeatureExecutor, FeatureRunResult } from '../feature-executor.js';

export interface ChatJobInput {
  sessionId: string;
  userMessageId: string;
  assistantMessageId: string;
  content: string;
  imageAssetId?: string;
  maskAssetId?: string;
  sentAt: number;
  /** The steps detected when the message was sent (and charged for); absent in older jobs. */
  detection?: Detection;
}

/** A chat job's result: the plan it followed and every image it made, in step order. */
export interface ChatJobResult {
  plan: ChatPlan;
  images: MessageImage[];
}

interface Dependencies {
  registry: FeatureRegistry;
  router: IntentRouter;
  executor: FeatureExecutor;
  conversations: ConversationStore;
  events: EventBus;
}

/** The answer to a turn that ran, in the user's language: the steps done and the size of what came out. */
function summarize(results: FeatureRunResult[], language: 'en' | 'vi'): string {
  const last = results[results.length - 1]!.images[0]!;
  const count = results[results.length - 1]!.images.length;
  const steps = results.map((result) => result.feature).join(' → ');
  if (language === 'vi') {
    return `Xong: ${steps}. ${count > 1 ? `Đây là ${count} ảnh của bạn, mỗi ảnh` : 'Ảnh của bạn'} ${last.width}×${last.height}.`;
  }
  return `Done: ${steps}. ${count > 1 ? `Here are your ${count} images, each` : 'Your image is'} ${last.width}×${last.height}.`;
}

/** Why a turn failed, in the user's language. */
function failureReply(error: { code: string; message: string }, language: 'en' | 'vi'): string {
  if (language === 'vi') return error.code === 'cancelled' ? 'Yêu cầu đã bị hủy.' : `Xin lỗi, mình không làm được việc này: ${error.message}`;
  return error.code === 'cancelled' ? 'The request was cancelled.' : `Sorry, I could not do that: ${error.message}`;
}

/**
 * One chat turn as a job: plan, run each step on the previous step's image, reply. Each part is a
 * checkpointed step; every write is keyed so a re-run changes nothing twice.
 */
export function createChatWorkflow(deps: Dependencies) {
  const { registry, router, executor, conversations, events } = deps;
  const publish = (userId: string, jobId: string, input: ChatJobInput, status: string) =>
    events.emit({ type: 'message.updated', userId, sessionId: input.sessionId, messageId: input.assistantMessageId, jobId, status });

  return defineWorkflow<ChatJobInput, ChatJobResult>({
    kind: 'chat',
    async run(context) {
      const { input, job } = context;
      const userId = job.userId;
      // The chat service wrote the messages with the job (one commit on a queue in the engine's
      // database). On a queue elsewhere it writes them just after: write them if they are not there.
      if (!(await conversations.getMessage(userId, input.sessionId, input.assistantMessageId))) await recordTurnMessages(conversations, job.id, userId, input);
      const plan = await context.step('plan', async ({ signal }) => {
        const session = await conversations.getSession(userId, input.sessionId);
        if (!session) throw errors.notFound('Session', input.sessionId);
        const contextImageId = input.imageAssetId ?? session.latestAssetId ?? undefined;
        const context = {
          signal,
          ...(contextImageId ? { contextImageId } : {}),
          ...(input.maskAssetId ? { maskImageId: input.maskAssetId } : {}),
          images: { image: input.imageAssetId ? 'attached' : contextImageId ? 'session' : 'none', mask: Boolean(input.maskAssetId) } as const,
          ...(input.detection ? { detection: input.detection } : {}),
        };
        return router.plan(input.content, context);
      });
      await context.progress(10);

      const recorded: Pick<MessageData, 'intents' | 'confidence' | 'detector' | 'refinedPrompt' | 'negativePrompt'> = {
        intents: plan.intents,
        confidence: plan.confidence,
        detector: plan.detector,
        ...(plan.refinedPrompt ? { refinedPrompt: plan.refinedPrompt } : {}),
        ...(plan.negativePrompt ? { negativePrompt: plan.negativePrompt } : {}),
      };
      if (plan.clarification) {
        await context.step('reply', async () => {
          // The reply commits with the job's end; it is told once committed.
          joinUnitOfWork();
          await conversations.completeMessage(input.assistantMessageId, { status: 'DONE', content: plan.clarification!, data: { ...recorded, clarification: plan.clarification! } });
          afterUnitOfWork((committed) => committed && publish(userId, job.id, input, 'DONE'));
          return null;
        });
        return { plan, images: [] };
      }

      const results: FeatureRunResult[] = [];
      for (const [index, planned] of plan.steps.entries()) {
        const feature = registry.get(planned.feature);
        // Job percent: 10 once planned, the steps share 10..95 equally (each step's run percent
        // scaled into its share), 100 when the reply is recorded and the job succeeds.
        const share = 85 / plan.steps.length;
        const result = await context.step(`step-${index}:${planned.feature}`, async ({ signal, checkpoint }) => {
          const stepInput = { ...planned.input };
          if (planned.image && feature.chat.imageField) {
            const assetId = 'assetId' in planned.image ? planned.image.assetId : results[planned.image.step]!.images[0]!.assetId;
            stepInput[feature.chat.imageField] = { asset_id: assetId };
          }
          const output = await executor.execute({
            feature: planned.feature,
            input: stepInput,
            userId,
            signal,
            checkpoint,
            effectKey: `${job.id}:step-${index}`,
            origin: { source: 'chat', sessionId: input.sessionId, messageId: input.assistantMessageId },
            prompt: input.content,
            onProgress: (percent) => void context.progress(Math.round(10 + share * (index + percent / 100))).catch(() => undefined),
          });
          await conversations.setLatestAsset(input.sessionId, output.images[output.images.length - 1]!.assetId);
          return output;
        });
        results.push(result);
        await context.progress(Math.round(10 + share * (index + 1)));
      }

      const images: MessageImage[] = results.flatMap((result) => result.images.map((image) => ({ ...image, feature: result.feature })));
      await context.step('reply', async () => {
        // The reply commits with the job's end; it is told once committed.
        joinUnitOfWork();
        await conversations.completeMessage(input.assistantMessageId, {
          status: 'DONE',
          content: summarize(results, plan.language ?? 'en'),
          data: { ...recorded, images, imageUrl: images[images.length - 1]!.url },
        });
        afterUnitOfWork((committed) => committed && publish(userId, job.id, input, 'DONE'));
        return null;
      });
      return { plan, images };
    },
    async onFailure({ job, input, error }) {
      const reason = failureReply(error, input.detection?.language ?? 'en');
      await conversations.completeMessage(input.assistantMessageId, {
        status: 'FAILED',
        content: reason,
        data: {
          error: { code: error.code, message: error.message },
          // What the message was understood as, so a failed turn still says what it tried.
          ...(input.detection
            ? { intents: intentRecords(input.detection), detector: input.detection.detector }
            : {}),
        },
      });
      publish(job.userId, job.id, input, 'FAILED');
    },
  });
}

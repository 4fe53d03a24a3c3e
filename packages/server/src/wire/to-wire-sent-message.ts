import type { sentMessage } from '@darkroom/api';
import type { z } from 'zod';
import type { SentMessage } from '@darkroom/core';

/** A turn that started, as `POST …/messages` answers it (`SentMessage`). */
export type WireSentMessage = z.output<typeof sentMessage>;

/**
 * @example
 * toWireSentMessage({ messageId: 'msg_2', userMessageId: 'msg_1', jobId: 'job_1', status: 'PROCESSING' });
 * // { message_id: 'msg_2', user_message_id: 'msg_1', job_id: 'job_1', status: 'PROCESSING' }
 */
export function toWireSentMessage(sent: SentMessage): WireSentMessage {
  return { message_id: sent.messageId, user_message_id: sent.userMessageId, job_id: sent.jobId, status: sent.status };
}

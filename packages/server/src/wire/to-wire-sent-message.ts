import type { SentMessage } from '@darkroom/core';

/** A turn that started, as `POST …/messages` answers it (`SentMessage`). */
export interface WireSentMessage {
  message_id: string;
  user_message_id: string;
  job_id: string;
  status: 'PROCESSING';
}

/**
 * @example
 * toWireSentMessage({ messageId: 'msg_2', userMessageId: 'msg_1', jobId: 'job_1', status: 'PROCESSING' });
 * // { message_id: 'msg_2', user_message_id: 'msg_1', job_id: 'job_1', status: 'PROCESSING' }
 */
export function toWireSentMessage(sent: SentMessage): WireSentMessage {
  return { message_id: sent.messageId, user_message_id: sent.userMessageId, job_id: sent.jobId, status: sent.status };
}

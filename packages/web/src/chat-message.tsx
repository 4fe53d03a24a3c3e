import type { Message } from '@darkroom/client';
import { StoredImage } from './stored-image.js';

/** A turn's live progress from the event stream: percent (0..100) and the step it is in. */
export interface JobProgress {
  progress: number;
  step?: string;
}

/** One chat message: its text, its images, and while the assistant works, the turn's progress. */
export function ChatMessage({ message, progress }: { message: Message; progress: JobProgress | undefined }) {
  const images = message.images ?? (message.asset_id ? [{ asset_id: message.asset_id, feature: '' }] : []);
  return (
    <li class={`message ${message.role} status-${(message.status ?? 'none').toLowerCase()}`} data-message-id={message.id}>
      <span class="who">{message.role === 'user' ? 'You' : 'Darkroom'}</span>
      {message.content && <p class="content">{message.content}</p>}
      {message.status === 'PROCESSING' && (
        <div class="progress" role="status">
          <progress max={100} value={progress?.progress ?? 0} aria-label="Progress" />
          <span>{progress?.step ? `${progress.step}…` : 'Working…'} {Math.round(progress?.progress ?? 0)}%</span>
        </div>
      )}
      {message.clarification && <p class="content">{message.clarification}</p>}
      {message.error && <p class="error">{message.error.message} ({message.error.code})</p>}
      {images.length > 0 && (
        <div class="message-images">
          {images.map((image) => (
            <StoredImage key={image.asset_id} image={{ assetId: image.asset_id }} alt={image.feature ? `Result of ${image.feature}` : 'Attached image'} class="message-image" />
          ))}
        </div>
      )}
      {message.intents && message.intents.length > 0 && <p class="meta">{message.intents.map((intent) => intent.feature).join(' → ')}</p>}
    </li>
  );
}

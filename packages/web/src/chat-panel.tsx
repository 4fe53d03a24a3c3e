import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import { ChatMessage, type JobProgress } from './chat-message.js';
import { DarkroomApiError, type Message } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { readFileAsDataUri } from './read-file.js';

const sessionKey = 'darkroom.sessionId';
const byTime = (a: Message, b: Message) => a.created_at.localeCompare(b.created_at) || (a.role === 'user' ? -1 : 1);

interface Attachment {
  name: string;
  dataUri: string;
}

/**
 * The chat: the session's messages with the live progress of each turn (the session's event stream),
 * images inline, and a composer that attaches an image and a mask. The session is kept for the tab.
 */
export function ChatPanel({ onImages, onSession }: { onImages: () => void; onSession: (id: string) => void }) {
  const api = useApi();
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [progress, setProgress] = useState<Record<string, JobProgress>>({});
  const [text, setText] = useState('');
  const [image, setImage] = useState<Attachment | undefined>();
  const [mask, setMask] = useState<Attachment | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const list = useRef<HTMLOListElement>(null);

  const upsert = (found: Message[]) =>
    setMessages((current) => {
      const merged = new Map(current.map((message) => [message.id, message]));
      for (const message of found) merged.set(message.id, message);
      return [...merged.values()].sort(byTime);
    });

  async function startSession(): Promise<string> {
    const created = await api.call((client) => client.sessions.create({ title: 'Playground' }));
    sessionStorage.setItem(sessionKey, created.session_id);
    setMessages([]);
    setProgress({});
    setSessionId(created.session_id);
    return created.session_id;
  }

  // Opens the kept session (or a new one) and loads its messages.
  useEffect(() => {
    const kept = sessionStorage.getItem(sessionKey);
    (async () => {
      if (kept) {
        try {
          const found = (await api.call((client) => client.sessions.messages(kept, { order: 'asc', limit: 100 }))).messages;
          setSessionId(kept);
          upsert(found);
          return;
        } catch (failure) {
          if (!(DarkroomApiError.is(failure) && failure.status === 404)) throw failure;
        }
      }
      await startSession();
    })().catch((failure) => setError(describeError(failure)));
  }, [api]);

  useEffect(() => {
    if (sessionId) onSession(sessionId);
  }, [sessionId]);

  // Follows the session's events: message status changes and the steps and progress of their jobs.
  useEffect(() => {
    if (!sessionId) return;
    const abort = new AbortController();
    (async () => {
      while (!abort.signal.aborted) {
        try {
          await api.call(async (client) => {
            for await (const item of client.sessions.events(sessionId, { signal: abort.signal })) {
              if (item.event === 'snapshot') upsert(item.data.messages);
              else if (item.event === 'message.updated') {
                const message = await client.sessions.message(sessionId, item.data.message_id);
                upsert([message]);
                if (message.status === 'DONE' && message.images?.length) onImages();
              } else if (item.event === 'job.progress') {
                const { job_id: jobId, progress } = item.data;
                setProgress((current) => ({ ...current, [jobId]: { ...current[jobId], progress } }));
              } else if (item.event === 'step.started') {
                const { job_id: jobId, step } = item.data;
                setProgress((current) => ({ ...current, [jobId]: { progress: current[jobId]?.progress ?? 0, step } }));
              }
            }
          });
        } catch (failure) {
          if (abort.signal.aborted) return;
          if (DarkroomApiError.is(failure) && failure.status !== 0 && failure.status < 500) {
            setError(describeError(failure));
            return;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    return () => abort.abort();
  }, [sessionId, api]);

  // The newest message stays in view as messages come and their images load, unless the reader scrolled up.
  const following = useRef(true);
  const follow = () => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  };
  useEffect(follow, [messages]);

  async function send(event?: Event) {
    event?.preventDefault();
    if (!sessionId || sending || (!text.trim() && !image)) return;
    setSending(true);
    setError(undefined);
    following.current = true;
    try {
      const sent = await api.call((client) => client.sessions.send(sessionId, { text, ...(image ? { image: image.dataUri } : {}), ...(mask ? { mask: mask.dataUri } : {}) }));
      setText('');
      setImage(undefined);
      setMask(undefined);
      const found = await api.call((client) => Promise.all([client.sessions.message(sessionId, sent.user_message_id), client.sessions.message(sessionId, sent.message_id)]));
      upsert(found);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSending(false);
    }
  }

  const attach = (set: (attachment: Attachment | undefined) => void) => async (file: File | undefined) => {
    if (!file) return;
    if (!file.type.startsWith('image/')) return setError(`${file.name} is not an image`);
    set({ name: file.name, dataUri: await readFileAsDataUri(file) });
  };

  return (
    <div class="chat">
      <div class="panel-head">
        <h2>Chat</h2>
        <button type="button" class="quiet" onClick={() => startSession().catch((failure) => setError(describeError(failure)))}>New chat</button>
      </div>
      <ol
        class="messages"
        ref={list}
        aria-live="polite"
        aria-label="Messages"
        // The reader stops following by scrolling up, and follows again back at the bottom.
        onWheel={(event) => {
          if (event.deltaY < 0) following.current = false;
        }}
        onTouchMove={() => (following.current = false)}
        onKeyDown={(event) => {
          if (['ArrowUp', 'PageUp', 'Home'].includes(event.key)) following.current = false;
        }}
        onScroll={(event) => {
          const element = event.currentTarget;
          if (element.scrollHeight - element.scrollTop - element.clientHeight < 48) following.current = true;
        }}
        onLoadCapture={follow}
      >
        {messages.length === 0 && <li class="empty">Ask for an image or an edit, in English or Vietnamese: “make a sunset over mountains”, “xóa nền ảnh này”.</li>}
        {messages.map((message) => (
          <ChatMessage key={message.id} message={message} progress={message.job_id ? progress[message.job_id] : undefined} />
        ))}
      </ol>
      {error && <p class="error" role="alert">{error}</p>}
      <form
        class="composer"
        onSubmit={send}
        onDragOver={(event) => event.preventDefault()}
        onDrop={(event) => {
          event.preventDefault();
          void attach(setImage)(event.dataTransfer?.files[0]);
        }}
      >
        <label for="chat-input" class="visually-hidden">Message</label>
        <textarea
          id="chat-input"
          rows={2}
          placeholder="Write a message… (Enter sends, Shift+Enter for a new line)"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void send(event);
          }}
        />
        <div class="composer-row">
          <AttachButton id="chat-image" label="Image" attachment={image} onFile={attach(setImage)} onClear={() => setImage(undefined)} />
          <AttachButton id="chat-mask" label="Mask" attachment={mask} onFile={attach(setMask)} onClear={() => setMask(undefined)} />
          <button type="submit" class="primary" disabled={sending || !sessionId}>{sending ? 'Sending…' : 'Send'}</button>
        </div>
      </form>
    </div>
  );
}

function AttachButton(props: { id: string; label: string; attachment: Attachment | undefined; onFile: (file: File | undefined) => void; onClear: () => void }) {
  if (props.attachment) {
    return (
      <span class="chip">
        <img src={props.attachment.dataUri} alt="" />
        <span>{props.label}: {props.attachment.name}</span>
        <button type="button" class="quiet" aria-label={`Remove the ${props.label.toLowerCase()}`} onClick={props.onClear}>×</button>
      </span>
    );
  }
  return (
    <label class="button quiet file-button">
      + {props.label}
      <input id={props.id} type="file" accept="image/*" class="visually-hidden" onChange={(event) => props.onFile(event.currentTarget.files?.[0])} />
    </label>
  );
}

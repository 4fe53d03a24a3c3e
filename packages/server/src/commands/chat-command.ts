import { withStudio, type ConnectionOptions } from './open-studio.js';
import { parseStudioImage } from './parse-studio-image.js';
import { saveImages } from './save-images.js';
import { showProgress } from './show-progress.js';

export interface ChatOptions extends ConnectionOptions {
  message: string;
  /** Continue this session (its latest image is "it"); default: a new session. */
  session?: string;
  /** An image sent with the message (file path, URL or asset id). */
  image?: string;
  /** A mask for object removal (white where to act). */
  mask?: string;
  /** Where the reply's images are written (default: the working directory). */
  outputDir?: string;
  json?: boolean;
}

/**
 * `darkroom chat "…"`: one chat turn. Prints the assistant's reply on standard output and the paths
 * of the images it made (written to `outputDir`), and on standard error the session id to continue
 * with `--session`. A turn that failed prints its error and exits 1.
 */
export async function chatCommand(options: ChatOptions): Promise<void> {
  await withStudio(options, { runsJobs: true }, async (studio) => {
    const image = options.image ? parseStudioImage(options.image, 'image') : undefined;
    const mask = options.mask ? parseStudioImage(options.mask, 'mask') : undefined;
    const progress = await showProgress('chat');
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    let reply;
    try {
      reply = await studio.chat({ content: options.message, ...(options.session ? { session: options.session } : {}), ...(image ? { image } : {}), ...(mask ? { mask } : {}) }, { onProgress: progress.update, signal: controller.signal });
    } catch (error) {
      // Interrupted (Ctrl-C): the job is cancelled; exit as a shell expects of SIGINT.
      throw controller.signal.aborted ? Object.assign(error as Error, { exitCode: 130 }) : error;
    } finally {
      progress.done();
      process.removeListener('SIGINT', interrupt);
    }
    const { message } = reply;
    const paths = await saveImages(studio, message.images ?? [], options.outputDir ? { directory: options.outputDir } : {});
    if (options.json) process.stdout.write(`${JSON.stringify({ ...reply, files: paths }, null, 2)}\n`);
    else {
      process.stdout.write(`${message.content}\n`);
      for (const [index, image] of (message.images ?? []).entries()) process.stdout.write(`${paths[index]}  ${image.feature}  ${image.width}×${image.height}  gallery ${image.gallery_id}\n`);
    }
    process.stderr.write(`session ${reply.session_id} (continue it with --session ${reply.session_id})\n`);
    if (message.status === 'FAILED') {
      const error = Object.assign(new Error(message.error?.message ?? 'The turn failed'), { code: message.error?.code });
      throw error;
    }
  });
}

import type { OnnxModel, OnnxSessions } from '../create-onnx-sessions.js';
import type { DiffusionModelFolder } from './diffusion-model.js';
import { loadClipTokenizer, type ClipTokenizer } from './load-clip-tokenizer.js';

/** A diffusion model ready to run: its ONNX components loaded in their workers, its tokenizers read. */
export interface LoadedDiffusionPipeline {
  folder: DiffusionModelFolder;
  textEncoder: OnnxModel;
  /** SDXL's second text encoder (OpenCLIP bigG with projection). */
  textEncoder2?: OnnxModel;
  unet: OnnxModel;
  vaeDecoder: OnnxModel;
  /** The VAE encoder, loaded on first use (image-to-image, inpainting, outpainting); `undefined` when the folder has none. */
  vaeEncoder?: (signal: AbortSignal) => Promise<OnnxModel>;
  tokenizer: ClipTokenizer;
  tokenizer2?: ClipTokenizer;
  /** Every component file it loaded or may load (what releasing the pipeline unloads). */
  sources: string[];
}

/**
 * Loads a diffusion model's components through the local provider's ONNX sessions (each in its own
 * worker thread, on the execution providers the sessions prefer: CUDA when a GPU is present, else
 * CPU): text encoder(s), UNet and VAE decoder at once, the VAE encoder on first use. Tokenizers are
 * read from the folder, `maxTokens` long.
 *
 * @throws DarkroomError `configuration` when a component cannot be loaded (the message names the file),
 *   or the signal's reason when aborted while waiting (the load goes on and is kept by the sessions).
 */
export async function loadDiffusionPipeline(folder: DiffusionModelFolder, sessions: OnnxSessions, signal: AbortSignal): Promise<LoadedDiffusionPipeline> {
  const { files } = folder;
  const [textEncoder, textEncoder2, unet, vaeDecoder, tokenizer, tokenizer2] = await Promise.all([
    sessions.get(files.textEncoder, signal),
    files.textEncoder2 ? sessions.get(files.textEncoder2, signal) : undefined,
    sessions.get(files.unet, signal),
    sessions.get(files.vaeDecoder, signal),
    loadClipTokenizer(files.tokenizer, { maxTokens: folder.maxTokens }),
    files.tokenizer2 ? loadClipTokenizer(files.tokenizer2, { maxTokens: folder.maxTokens }) : undefined,
  ]);
  const encoderPath = files.vaeEncoder;
  return {
    folder,
    textEncoder,
    unet,
    vaeDecoder,
    tokenizer,
    ...(textEncoder2 ? { textEncoder2 } : {}),
    ...(tokenizer2 ? { tokenizer2 } : {}),
    ...(encoderPath ? { vaeEncoder: (encoderSignal: AbortSignal) => sessions.get(encoderPath, encoderSignal) } : {}),
    sources: [files.textEncoder, files.textEncoder2, files.unet, files.vaeDecoder, files.vaeEncoder].filter((path): path is string => path !== undefined),
  };
}

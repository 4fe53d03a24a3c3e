import type { CapabilityRequest, CapabilityResult } from '@darkroom/core';
import type { OnnxSessions } from './create-onnx-sessions.js';
import { decodeRaw, encodeRaw } from './raw-image.js';

const resolution = 1024;

/**
 * Background removal with an IS-Net-style segmentation model: the image at 1024×1024, channels
 * normalised as (v − 128) / 256, one mask out, resized back and used as the alpha channel. An input
 * that is already transparent keeps its transparency: the new alpha is the model's mask × the old
 * alpha, so nothing hidden becomes visible. The colour keeps its bit depth. PNG by default; for JPEG
 * (no alpha) the cut-out is flattened on `background` (white unless given).
 *
 * The event loop only decodes and encodes (both on libvips' threads): the decoded pixels go to the
 * model's worker, which builds the tensor, runs the model and makes the cut-out (`segmentImage`).
 */
export async function removeBackground(
  request: CapabilityRequest<'remove-background'>,
  options: { sessions: OnnxSessions; model: string; maxPixels: number; signal: AbortSignal },
): Promise<CapabilityResult<'remove-background'>> {
  const decoded = await decodeRaw(request.image, options.maxPixels);
  const model = await options.sessions.get(options.model, options.signal);
  const refineEdges = request.refineEdges !== false;
  const maskOnly = Boolean(request.maskOnly);
  const result = await model.process('segmentImage', { ...decoded, resolution, refineEdges, maskOnly }, options.signal);
  const encoded = await encodeRaw(result, undefined, request);
  return {
    images: [encoded],
    metadata: { mask_only: maskOnly, refined_edges: refineEdges, resolution, kept_input_alpha: decoded.channels === 4 },
  };
}

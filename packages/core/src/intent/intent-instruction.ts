import type { IntentRequestSpec, ToolSpec, ImagesAtHand } from '@darkroom/plugin-api';

/**
 * Optional arguments every tool of an intent request gains, so the model says per call what the
 * rule-based detector reads from the words. `createProviderDetector` adds them (unless a feature
 * has an input field of the same name) and takes them out of the arguments again.
 */
export const stepHints = {
  /** boolean: the user asks for a new picture (true) or for the image at hand to change (false). */
  asksForNew: 'asks_for_new_picture',
  /** boolean: the words point at an image ("it", "this photo", "ảnh này"). */
  refersToImage: 'refers_to_image',
  /** number 0..1: how sure the model is that this call is what the user asked for. */
  confidence: 'confidence',
} as const;

/** The JSON-schema properties of {@link stepHints}, as tools declare them. */
export const stepHintProperties: Record<string, Record<string, unknown>> = {
  [stepHints.asksForNew]: { type: 'boolean', description: 'true when the user asks for a new picture, false when they want the image at hand changed' },
  [stepHints.refersToImage]: { type: 'boolean', description: 'true when the words point at an image ("it", "this photo", "ảnh này")' },
  [stepHints.confidence]: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are that the user asked for this operation, 0 to 1' },
};

/** One sentence about the images at hand, e.g. "Images at hand: a photo is attached to this message; no mask was sent." */
export function describeImagesAtHand(images: ImagesAtHand): string {
  const image =
    images.image === 'attached'
      ? 'a photo is attached to this message'
      : images.image === 'session'
        ? "no photo is attached, but the conversation's latest image is at hand"
        : 'there is no image at hand (nothing attached, none earlier in the conversation)';
  return `Images at hand: ${image}; ${images.mask ? 'a mask was sent with the message (white where to act)' : 'no mask was sent'}.`;
}

/**
 * The system instruction of an intent request: how to route, the images at hand (when known) and
 * the language to reply in. Gemini sends it as `systemInstruction`, OpenAI-compatible providers
 * as the system message, so every model is told the same.
 *
 * @example
 * intentInstruction({ message: 'xóa nền', tools, images: { image: 'attached', mask: false }, language: 'vi' });
 * // "You route requests of a photo studio. … Images at hand: a photo is attached … Reply in Vietnamese …"
 */
export function intentInstruction(request: Pick<IntentRequestSpec, 'images' | 'language'>): string {
  const lines = [
    'You route requests of a photo studio. Call one function per operation the user asks for, in the order asked. A later operation works on the previous result. Call nothing when the user asks for none of them.',
    'Functions marked "works on the image at hand" edit the image the user has; the others create a new picture. Words describing a picture with no image at hand ask for a new one; words describing a change with an image at hand ask for that change.',
    "A function's action verbs name an action, not its object: when another function's keyword follows one as its object (\"get rid of the background\", \"remove the noise\"), that other function is meant.",
  ];
  if (request.images) lines.push(describeImagesAtHand(request.images));
  if (request.language) lines.push(`Reply in ${request.language === 'vi' ? 'Vietnamese' : 'English'}, the user's language, when you answer in words instead of calling a function.`);
  return lines.join('\n');
}

/**
 * A tool's description as a model reads it: the feature's description, whether it works on the
 * image at hand, its example requests and keywords.
 *
 * @example
 * describeTool({ name: 'upscale', description: 'Increase image resolution', parameters: {}, examples: ['make this 4x bigger'], worksOnImage: true });
 * // 'Increase image resolution. Works on the image at hand.\nExamples: "make this 4x bigger"'
 */
export function describeTool(tool: ToolSpec): string {
  const use = tool.worksOnImage === undefined ? '' : tool.worksOnImage ? 'Works on the image at hand.' : 'Creates a new picture.';
  const lines = [use ? `${tool.description.replace(/\.?\s*$/, '.')} ${use}` : tool.description];
  if (tool.examples?.length) lines.push(`Examples: ${tool.examples.map((example) => JSON.stringify(example)).join(', ')}`);
  if (tool.keywords?.length) lines.push(`Keywords: ${tool.keywords.map((keyword) => JSON.stringify(keyword)).join(', ')}`);
  if (tool.verbs?.length) lines.push(`Action verbs: ${tool.verbs.map((verb) => JSON.stringify(verb)).join(', ')}`);
  return lines.join('\n');
}

import { DarkroomError } from '@darkroom/core';
import { onnxRuntimePackage, onnxRuntimeRange } from './resolve-onnx-runtime.js';

/**
 * The `configuration` error for ONNX models configured while their runtime is not installed. It
 * names the models (each like `style model "mosaic" (/models/mosaic.onnx)`), the command that
 * installs the runtime, and what keeps working without it.
 */
export function onnxRuntimeMissingError(models: string[], runtime: string = onnxRuntimePackage): DarkroomError {
  const which =
    models.length === 1
      ? `The ONNX ${models[0]} needs ${runtime}, which is not installed.`
      : `${runtime} is not installed, and these ONNX models need it: ${models.join('; ')}.`;
  return new DarkroomError({
    code: 'configuration',
    message:
      `${which} Install it with \`npm install "${runtime}@${onnxRuntimeRange}"\` to run ONNX models, ` +
      `or remove ${models.length === 1 ? 'this model' : 'them'} from the local provider's models. ` +
      `Without ${runtime}, the sharp-based local features still work: Lanczos upscale, relight, style presets, outpaint, inpaint, enhance, and the labelled development placeholder for text-to-image (model placeholder-not-ai: not AI, a stand-in).`,
    details: { package: runtime, range: onnxRuntimeRange, models },
  });
}

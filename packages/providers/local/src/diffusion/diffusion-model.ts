// The seam between reading a diffusion model folder (read-model-folder.ts) and running it
// (the pipeline): what a folder in Hugging Face Optimum's ONNX layout holds, as the pipeline needs it.

/** How a model conditions on text: one CLIP text encoder (SD 1.x/2.x) or two (SDXL). */
export type DiffusionFamily = 'sd' | 'sdxl';

/** A diffusion model folder, read and checked: every path absolute, every config parsed. */
export interface DiffusionModelFolder {
  /** The id it is configured under (`models()` lists it; requests name it as `model`). */
  id: string;
  /** The folder. */
  path: string;
  family: DiffusionFamily;
  /** The UNet takes 9 input channels (latents, mask, masked-image latents): an inpainting model. */
  inpainting: boolean;
  /** Paths of the component files. */
  files: {
    textEncoder: string;
    /** SDXL's second text encoder. */
    textEncoder2?: string;
    unet: string;
    vaeDecoder: string;
    /** Absent in some exports: image-to-image, inpainting and outpainting then need none or are unavailable. */
    vaeEncoder?: string;
    /** The folder of the tokenizer files (`tokenizer.json`, or `vocab.json` + `merges.txt`). */
    tokenizer: string;
    tokenizer2?: string;
  };
  /** `scheduler/scheduler_config.json` as written (the schedulers read it). */
  schedulerConfig: Record<string, unknown>;
  /** Pixels per latent cell (VAE `block_out_channels` → 2^(n−1); 8 for SD). */
  vaeScaleFactor: number;
  /** Latent channels (VAE `latent_channels`; 4 for SD). */
  latentChannels: number;
  /** The VAE's `scaling_factor` (0.18215 for SD 1.x/2.x, 0.13025 for SDXL). */
  scalingFactor: number;
  /** The resolution it was trained at, in pixels (UNet `sample_size` × vaeScaleFactor; 512 for SD 1.5). */
  defaultSize: number;
  /** The token sequence length of its text encoder(s) (77 for CLIP). */
  maxTokens: number;
}

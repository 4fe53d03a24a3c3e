// The seam between reading a diffusion model folder (read-model-folder.ts) and running it
// (the pipeline): what a folder in Hugging Face Optimum's ONNX layout holds, as the pipeline needs it.
//
// The components' inputs and outputs (optimum-onnx optimum/exporters/onnx/model_configs.py; diffusers
// scripts/convert_stable_diffusion_checkpoint_to_onnx.py for older exports). A session's inputMetadata
// gives the element type and shape of each, and the pipeline feeds what the session declares:
// - text_encoder (CLIPTextModel): `input_ids` [batch_size, sequence_length], int64 (Optimum; int32 in
//   diffusers' script) → `last_hidden_state` [batch_size, sequence_length, hidden], `pooler_output`
//   [batch_size, hidden]; for SDXL also `hidden_states.0` (embeddings) … `hidden_states.N` (last layer),
//   Optimum exporting output_hidden_states for SDXL (optimum/exporters/utils.py).
// - text_encoder_2 (SDXL, CLIPTextModelWithProjection): `input_ids` → `text_embeds` [batch_size,
//   projection_dim] (the pooled embedding), `last_hidden_state`, `hidden_states.*`. SDXL conditions on
//   the penultimate hidden state of each encoder side by side, and on text_encoder_2's text_embeds.
// - unet: `sample` [batch_size, 4|9, height, width] float, `timestep` (float32 scalar, no dimension, in
//   Optimum since huggingface/optimum a7a807c9 of Nov 2024; int64 [steps] before it; float [batch] in
//   diffusers' script), `encoder_hidden_states` [batch_size, sequence_length, cross_attention_dim]; SDXL
//   `text_embeds` [batch_size, projection_dim] and `time_ids` [batch_size, 6] (5 with
//   requires_aesthetics_score); `timestep_cond` [batch_size, time_cond_proj_dim] when the config has
//   time_cond_proj_dim (LCM) → `out_sample` [batch_size, 4, height, width]. An inpainting UNet's 9
//   channels are latents (4), mask (1), masked-image latents (4), in that order (diffusers'
//   pipeline_onnx_stable_diffusion_inpaint.py).
// - vae_encoder: `sample` [batch_size, 3, sample_height, sample_width] in −1..1 → `latent_parameters`
//   [batch_size, 2 × latent_channels, ÷8, ÷8] (Optimum: mean, then log-variance) or `latent_sample`
//   (diffusers' script: a sample). Latents are multiplied by scalingFactor after encoding.
// - vae_decoder: `latent_sample` [batch_size, latent_channels, latent_height, latent_width] (latents
//   divided by scalingFactor) → `sample` [batch_size, 3, ×8, ×8] in about −1..1.
// A component's weights may sit beside its model.onnx (`model.onnx_data` from Optimum, `weights.pb`
// from diffusers' script); onnxruntime finds them relative to the model file.

/** How a model conditions on text: one CLIP text encoder (SD 1.x/2.x) or two (SDXL). */
export type DiffusionFamily = 'sd' | 'sdxl';

/** A diffusion model folder, read and checked: every path absolute, every config parsed. */
export interface DiffusionModelFolder {
  /** The id it is configured under (`models()` lists it; requests name it as `model`). */
  id: string;
  /** The folder. */
  path: string;
  family: DiffusionFamily;
  /** The UNet takes 9 input channels (latents, mask, masked-image latents): an inpainting model (unet/config.json `in_channels`, else the ONNX input). */
  inpainting: boolean;
  /** Absolute paths of the component files (`<component>/model.onnx`). */
  files: {
    textEncoder: string;
    /** SDXL's second text encoder. */
    textEncoder2?: string;
    unet: string;
    vaeDecoder: string;
    /** Absent in some exports: image-to-image, inpainting and outpainting then need none or are unavailable. */
    vaeEncoder?: string;
    /** The folder of the tokenizer files (`tokenizer.json`, or `vocab.json` + `merges.txt`): give it to loadClipTokenizer. */
    tokenizer: string;
    /** SDXL's second tokenizer (pads with `!`, id 0, where the first pads with `<|endoftext|>`). */
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
  /** The resolution it was trained at, in pixels (UNet `sample_size` × vaeScaleFactor; 512 for SD 1.5, 768 for SD 2.x-768, 1024 for SDXL). */
  defaultSize: number;
  /** The token sequence length of its text encoder(s) (77 for CLIP: tokenizer_config.json `model_max_length`). */
  maxTokens: number;
}

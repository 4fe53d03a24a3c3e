/**
 * The guidance-scale embedding of latent consistency models (LCM), whose UNet takes the guidance as
 * an input (`timestep_cond`) instead of running a negative prompt beside the prompt: diffusers'
 * `get_guidance_scale_embedding(w, embedding_dim)` for one `w` — sinusoids of `w × 1000` at
 * frequencies `10000^(−k / (half − 1))`, sines then cosines, zero-padded to an odd size.
 * Diffusers passes `w = guidance_scale − 1`.
 *
 * @example
 * guidanceScaleEmbedding(7.5, 256); // Float32Array(256): the embedding of w = 7.5
 */
export function guidanceScaleEmbedding(w: number, size: number): Float32Array {
  const half = Math.floor(size / 2);
  const embedding = new Float32Array(size);
  const step = half > 1 ? Math.log(10000) / (half - 1) : 0;
  for (let index = 0; index < half; index += 1) {
    const angle = w * 1000 * Math.exp(-step * index);
    embedding[index] = Math.sin(angle);
    embedding[half + index] = Math.cos(angle);
  }
  return embedding;
}

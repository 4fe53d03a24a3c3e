/** Example bodies used in the route table (each is checked against its schema by api-routes.test.ts). */

const at = '2026-01-05T10:00:00.000Z';
const later = '2026-01-05T10:00:04.200Z';

export const exampleImage = { asset_id: 'ast_0mk1x2c9a0000k3v9d2q8w1e7r5t', gallery_id: 'img_0mk1x2c9a0000p0o9i8u7y6t5r4e', url: '/v1/assets/ast_0mk1x2c9a0000k3v9d2q8w1e7r5t', width: 2048, height: 1536, mime_type: 'image/png' };

export const exampleAttempt = { provider: 'local', model: 'lanczos3', outcome: 'succeeded', durationMs: 412 };

export const exampleFeatureResult = {
  job_id: 'job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  feature: 'upscale',
  images: [exampleImage],
  image_url: exampleImage.url,
  provider: 'local',
  model: 'lanczos3',
  metadata: { scale: 2 },
  attempts: [exampleAttempt],
};

export const exampleAcceptedJob = {
  job_id: 'job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  status: 'queued',
  status_url: '/v1/jobs/job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  events_url: '/v1/jobs/job_0mk1x2c9a0000a1s2d3f4g5h6j7k/events',
};

export const exampleJob = {
  id: 'job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  kind: 'feature',
  state: 'succeeded',
  progress: 100,
  attempt: 1,
  max_attempts: 3,
  result: exampleFeatureResult,
  error: null,
  created_at: at,
  updated_at: later,
  started_at: at,
  finished_at: later,
  steps: [{ key: 'upscale', status: 'succeeded', attempt: 1, started_at: at, finished_at: later, error: null }],
};

const { steps: _steps, ...exampleJobSummary } = exampleJob;

export const exampleJobPage = { jobs: [exampleJobSummary], next_cursor: null };

export const exampleSession = {
  session_id: 'ses_0mk1x2c9a0000z9x8c7v6b5n4m3l',
  id: 'ses_0mk1x2c9a0000z9x8c7v6b5n4m3l',
  user_id: 'ann',
  title: 'Product shots',
  description: 'Rings and necklaces on a white background',
  latest_asset_id: null,
  created_at: at,
  updated_at: at,
};

export const exampleUpdatedSession = { ...exampleSession, title: 'Spring catalogue', updated_at: later };

export const exampleSessionPage = { sessions: [exampleUpdatedSession, { ...exampleSession, session_id: 'ses_0mk1x2c9a0000m3n4b5v6c7x8z', id: 'ses_0mk1x2c9a0000m3n4b5v6c7x8z', title: null, description: null }], next_cursor: 'WzE3Njc2MDcyMDAwMDAsInNlc18wbWsxeDJjOWEwMDAwbTNuNGI1djZjN3g4eiJd' };

export const exampleMessage = {
  message_id: 'msg_0mk1x2c9a0001q1w2e3r4t5y6u7i',
  id: 'msg_0mk1x2c9a0001q1w2e3r4t5y6u7i',
  session_id: exampleSession.id,
  role: 'assistant',
  content: 'Here is your image, upscaled 2×.',
  status: 'DONE',
  asset_id: exampleImage.asset_id,
  job_id: 'job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  intents: [{ intent: 'upscale', feature: 'upscale', confidence: 0.92, parameters: { scale: 2 } }],
  images: [{ ...exampleImage, feature: 'upscale' }],
  image_url: exampleImage.url,
  created_at: at,
  updated_at: later,
};

export const exampleMessagePage = { session_id: exampleSession.id, messages: [exampleMessage], next_cursor: null };

export const exampleSentMessage = { message_id: exampleMessage.id, user_message_id: 'msg_0mk1x2c9a0000o9i8u7y6t5r4e3w', job_id: exampleMessage.job_id, status: 'PROCESSING' };

export const exampleGalleryItem = {
  id: exampleImage.gallery_id,
  user_id: 'ann',
  asset_id: exampleImage.asset_id,
  image_url: exampleImage.url,
  refined_prompt: null,
  intent: 'upscale',
  feature: 'upscale',
  provider: 'local',
  model: 'lanczos3',
  seed: null,
  metadata: { source: 'direct' },
  created_at: at,
  deleted_at: null,
};

export const exampleGalleryPage = { items: [exampleGalleryItem], next_cursor: null };

export const exampleRefinement = {
  original_prompt: 'a red bicycle by the sea',
  refined_prompt: 'a red bicycle by the sea, highly detailed, sharp focus, professional photography',
  negative_prompt: 'blurry, low quality, distorted',
  confidence_score: 0.86,
  method_used: 'rules',
  processing_time: 0.002,
  suggestions: ['Name a lighting style, e.g. golden hour'],
  metadata: { style: null, added_keywords: ['highly detailed', 'sharp focus', 'professional photography'], translated_terms: [] },
  intent: { name: 'generate', feature: 'generate', confidence: 0.9 },
};

export const exampleValidation = { valid: true, issues: [], warnings: [], suggestions: ['Name a lighting style, e.g. golden hour'], word_count: 5, character_count: 24 };

export const exampleGenerateRequest = { prompt: 'a red bicycle by the sea', size: '512x512', style: 'watercolor' };

export const exampleGenerateResponse = {
  success: true,
  request_id: 'job_0mk1x2c9a0000a1s2d3f4g5h6j7k',
  image_url: exampleImage.url,
  image_path: exampleImage.url,
  images: [{ ...exampleImage, width: 512, height: 512 }],
  service: 'local',
  model: 'procedural',
  generation_time: 0.84,
  metadata: { width: 512, height: 512, processing_time: 0.84, seed: 42 },
  attempts: [{ provider: 'local', model: 'procedural', outcome: 'succeeded', durationMs: 803 }],
};

const ok = { ok: true };

export const exampleReadiness = { ok: true, database: ok, storage: ok, queue: ok, events: ok, workers: { ok: true, active_jobs: 0, runs_jobs: true } };

export const exampleProviderHealth = { ok: true, database: ok, storage: ok, providers: [{ name: 'local', ok: true, circuit: 'closed' }] };

export const exampleModels = { models: [{ provider: 'local', model: 'lanczos3', capabilities: ['image.upscale'] }] };

export const exampleFeatureList = {
  features: [
    {
      id: 'upscale',
      route: 'upscale',
      path: '/v1/features/upscale',
      title: 'Upscale',
      description: 'Enlarges an image 2× or 4×',
      capability: 'image.upscale',
      input_schema: { type: 'object', properties: { image: {}, scale: { type: 'integer', enum: [2, 4], default: 2 } }, required: ['image'] },
      image_fields: ['image'],
      async: true,
    },
  ],
};

export const exampleSignedUrl = { url: '/v1/assets/ast_0mk1x2c9a0000k3v9d2q8w1e7r5t?token=eyJhc3NldCI6ImFzdF8uLi4ifQ.c2lnbmF0dXJl', expires_at: '2026-01-05T11:00:00.000Z' };

export const exampleError = { error: { code: 'invalid_input', message: 'Invalid body: scale: Invalid option: expected one of 2|4' } };

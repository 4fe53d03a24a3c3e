/** Times are epoch milliseconds; JSON columns are text, parsed in the stores (same on SQLite and PostgreSQL). */
export interface DatabaseSchema {
  sessions: SessionsTable;
  deleted_sessions: DeletedSessionsTable;
  messages: MessagesTable;
  gallery: GalleryTable;
  assets: AssetsTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  idempotency_keys: IdempotencyKeysTable;
  job_webhooks: JobWebhooksTable;
  job_fences: JobFencesTable;
  deployment_settings: DeploymentSettingsTable;
}

/** A setting every process on the database must share (see the server's `checkDeploymentSettings`). */
export interface DeploymentSettingsTable {
  name: string;
  value: string;
  recorded_at: number;
}

/** The claim (`attempt`, `owner`) whose worker may write a job's checkpoints. */
export interface JobFencesTable {
  job_id: string;
  attempt: number;
  owner: string;
}

export interface JobWebhooksTable {
  job_id: string;
  user_id: string;
  url: string;
  attempts: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  gave_up_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  title: string | null;
  description: string | null;
  latest_asset_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A deleted session: only its id, owner and when, so that its id is never created again (see `ConversationStore.deleteSession`). */
export interface DeletedSessionsTable {
  id: string;
  user_id: string;
  deleted_at: number;
}

export interface MessagesTable {
  id: string;
  session_id: string;
  user_id: string;
  role: 'user' | 'assistant';
  content: string;
  status: string | null;
  asset_id: string | null;
  job_id: string | null;
  data: string;
  created_at: number;
  updated_at: number;
}

export interface GalleryTable {
  id: string;
  user_id: string;
  asset_id: string;
  image_url: string;
  refined_prompt: string | null;
  intent: string | null;
  feature: string | null;
  provider: string | null;
  model: string | null;
  seed: number | null;
  source: string;
  session_id: string | null;
  metadata: string;
  effect_key: string | null;
  created_at: number;
  deleted_at: number | null;
}

export interface AssetsTable {
  id: string;
  user_id: string;
  sha256: string;
  mime_type: string;
  size: number;
  width: number;
  height: number;
  effect_key: string | null;
  created_at: number;
  /** URL and id of the file in a remote storage (Cloudinary); null on local disk. */
  remote_url?: string | null;
  remote_id?: string | null;
}

export interface JobsTable {
  id: string;
  user_id: string;
  kind: string;
  input: string;
  state: string;
  attempt: number;
  max_attempts: number;
  stalls: number;
  progress: number;
  result: string | null;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  run_after: number;
  deadline_at: number | null;
  cancel_requested: number;
  idempotency_key: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** When a worker last claimed the job (epoch ms); a user's latest claim is when they were last served. */
  claimed_at: number | null;
}

export interface JobStepsTable {
  job_id: string;
  step_key: string;
  status: string;
  attempt: number;
  started_at: number;
  finished_at: number | null;
  output: string | null;
  error: string | null;
  /** Order in which the job first reached the step. */
  position: number;
  /** JSON the step saved while running (a provider's task id), kept across re-runs. */
  state: string | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  job_id: string;
  created_at: number;
}

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import { BeforeAfter } from './before-after.js';
import type { FeatureInfo, FeatureResult } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { DownloadLink } from './download-link.js';
import { FieldControl } from './field-control.js';
import { imageRefOf } from './image-field.js';
import { fieldsToInput, initialValues, schemaToFields, type FieldValue, type FieldValues, type FormField, type JsonSchema } from './schema-to-fields.js';
import { StoredImage } from './stored-image.js';
import type { ImageRef } from './use-image-source.js';

type RunState =
  | { state: 'idle' }
  | { state: 'running'; jobId?: string; progress: number; queued: boolean }
  | { state: 'done'; result: FeatureResult; before: ImageRef | undefined }
  | { state: 'failed'; message: string }
  | { state: 'cancelled' };

/**
 * A feature's form, generated from its input JSON schema (see schemaToFields), run as a background job
 * (`Prefer: respond-async`) with its progress and a cancel button; the result is shown against the input.
 */
export function FeatureForm({ feature, onImages }: { feature: FeatureInfo; onImages: () => void }) {
  const api = useApi();
  const fields = useMemo(() => schemaToFields(feature.input_schema as JsonSchema, feature.image_fields), [feature]);
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields));
  const [run, setRun] = useState<RunState>({ state: 'idle' });
  const abort = useRef<AbortController | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  // The chosen feature's form comes into view (below the buttons, off screen on a phone).
  useEffect(() => heading.current?.scrollIntoView({ block: 'nearest' }), []);
  const set = (name: string) => (value: FieldValue) => setValues((current) => ({ ...current, [name]: value }));
  const imageField = fields.find((field) => field.kind === 'image');
  const imageValue = imageField ? values[imageField.name] : undefined;

  async function submit(event: Event) {
    event.preventDefault();
    const controller = new AbortController();
    abort.current = controller;
    const before = imageRefOf(imageValue);
    setRun({ state: 'running', progress: 0, queued: true });
    try {
      const accepted = await api.call((client) => client.features.submit(feature.id, fieldsToInput(fields, values)));
      setRun({ state: 'running', jobId: accepted.job_id, progress: 0, queued: true });
      const job = await api.call((client) =>
        client.jobs.wait(accepted.job_id, {
          signal: controller.signal,
          onProgress: ({ progress, state }) => setRun((current) => (current.state === 'running' ? { ...current, progress, queued: state === 'queued' } : current)),
        }),
      );
      if (job.state === 'succeeded') {
        setRun({ state: 'done', result: job.result as FeatureResult, before });
        onImages();
      } else if (job.state === 'cancelled') setRun({ state: 'cancelled' });
      else setRun({ state: 'failed', message: job.error ? `${job.error.message} (${job.error.code})` : `The job ended ${job.state}` });
    } catch (failure) {
      if (controller.signal.aborted) return;
      setRun({ state: 'failed', message: describeError(failure) });
    }
  }

  async function cancel() {
    if (run.state !== 'running' || !run.jobId) return;
    const jobId = run.jobId;
    abort.current?.abort();
    setRun({ state: 'cancelled' });
    await api.call((client) => client.jobs.cancel(jobId)).catch((failure) => setRun({ state: 'failed', message: describeError(failure) }));
  }

  const main = fields.filter((field) => !field.advanced);
  const advanced = fields.filter((field) => field.advanced);
  const control = (field: FormField) => (
    <FieldControl key={field.name} id={`field-${field.name}`} field={field} value={values[field.name]} onChange={set(field.name)} image={imageValue} />
  );
  return (
    <form class="feature-form" onSubmit={submit} aria-labelledby={`form-${feature.id}`}>
      <h3 id={`form-${feature.id}`} ref={heading}>{feature.title}</h3>
      <p class="hint">{feature.description}</p>
      {main.map(control)}
      {advanced.length > 0 && (
        <details class="advanced">
          <summary>More options</summary>
          {advanced.map(control)}
        </details>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={run.state === 'running'}>Run {feature.title}</button>
        {run.state === 'running' && <button type="button" onClick={cancel} disabled={!run.jobId}>Cancel</button>}
      </div>
      <div class="run-status" aria-live="polite">
        {run.state === 'running' && (
          <div class="progress" role="status">
            <progress max={100} value={run.progress} aria-label="Progress" />
            <span>{!run.jobId ? 'Sending…' : run.queued ? 'Queued…' : 'Running…'} {Math.round(run.progress)}%</span>
          </div>
        )}
        {run.state === 'failed' && <p class="error" role="alert">{run.message}</p>}
        {run.state === 'cancelled' && <p class="hint" role="status">Cancelled.</p>}
      </div>
      {run.state === 'done' && <FeatureResultView result={run.result} before={run.before} />}
    </form>
  );
}

function FeatureResultView({ result, before }: { result: FeatureResult; before: ImageRef | undefined }) {
  const [first, ...rest] = result.images;
  return (
    <section class="result" aria-label="Result">
      <h4>Result</h4>
      {first && (before ? <BeforeAfter before={before} after={{ assetId: first.asset_id }} /> : <StoredImage image={{ assetId: first.asset_id }} alt="Result" class="result-image" />)}
      {rest.map((image) => <StoredImage key={image.asset_id} image={{ assetId: image.asset_id }} alt="Another result" class="result-image" />)}
      <dl class="details">
        <dt>Provider</dt><dd>{result.provider}</dd>
        <dt>Model</dt><dd>{result.model}</dd>
        {result.seed !== undefined && <><dt>Seed</dt><dd>{result.seed}</dd></>}
        {first && <><dt>Size</dt><dd>{first.width} × {first.height}</dd></>}
      </dl>
      <div class="actions">
        {result.images.map((image, index) => (
          <DownloadLink key={image.asset_id} image={{ assetId: image.asset_id }} filename={`${result.feature}-${index + 1}.${image.mime_type.split('/')[1] ?? 'png'}`} />
        ))}
      </div>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { useApi } from './api-context.js';
import type { FeatureInfo } from '@darkroom/client';
import { describeError } from './describe-error.js';
import { FeatureForm } from './feature-form.js';

/** One button per registered feature (plugins included, from `GET /v1/features`); the chosen one's form below. */
export function FeaturePanel({ onImages }: { onImages: () => void }) {
  const api = useApi();
  const [features, setFeatures] = useState<FeatureInfo[] | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api
      .call((client) => client.features.list())
      .then(setFeatures)
      .catch((failure) => setError(describeError(failure)));
  }, [api]);
  const feature = features?.find((candidate) => candidate.id === chosen);
  return (
    <div class="features">
      <div class="panel-head">
        <h2>Features</h2>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!features && !error && <p class="hint">Loading features…</p>}
      <ul class="feature-buttons" aria-label="Features">
        {features?.map((candidate) => (
          <li key={candidate.id}>
            <button type="button" class="feature-button" aria-pressed={candidate.id === chosen} data-feature={candidate.id} onClick={() => setChosen(candidate.id)}>
              <strong>{candidate.title}</strong>
              <span>{candidate.description}</span>
            </button>
          </li>
        ))}
      </ul>
      {feature && <FeatureForm key={feature.id} feature={feature} onImages={onImages} />}
    </div>
  );
}

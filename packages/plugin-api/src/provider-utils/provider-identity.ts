/**
 * Who a provider is, for the messages and error details of the provider utilities. Declare it once
 * per provider and pass it to each of them.
 *
 * @example
 * const runware: ProviderIdentity = { id: 'runware', name: 'Runware', environmentVariable: 'RUNWARE_API_KEY' };
 */
export interface ProviderIdentity {
  /** Its id in routing, e.g. `runware`; errors carry it as `details.provider`. */
  id: string;
  /** Its name for people, e.g. `Runware`; messages start with it. */
  name: string;
  /** The environment variable holding its key, e.g. `RUNWARE_API_KEY`; named when the key is missing or refused. */
  environmentVariable: string;
}

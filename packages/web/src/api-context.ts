import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiSession } from './api-session.js';

export const ApiContext = createContext<ApiSession | undefined>(undefined);

/** The page's ApiSession (provided by App). */
export function useApi(): ApiSession {
  const session = useContext(ApiContext);
  if (!session) throw new Error('useApi() outside <App>');
  return session;
}

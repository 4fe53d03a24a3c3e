/**
 * What the `darkroom` command prints for an error, without a stack trace: the message, the error's
 * code when it has one (`DarkroomError`, the client's errors), and for an unknown feature the
 * features there are. Loads nothing (the CLI's entry imports it).
 *
 * @example
 * describeCliError(new DarkroomError({ code: 'invalid_input', message: 'scale must be 2 or 4' }));
 * // 'Error (invalid_input): scale must be 2 or 4'
 */
export function describeCliError(error: unknown): string {
  if (!(error instanceof Error)) return `Error: ${String(error)}`;
  const { code, details } = error as Error & { code?: unknown; details?: Record<string, unknown> };
  const coded = typeof code === 'string' && /^[a-z_]+$/.test(code);
  const lines = [`Error${coded ? ` (${code})` : ''}: ${error.message}`];
  const features = details?.features;
  if (Array.isArray(features) && features.length > 0 && !/features:/i.test(error.message)) {
    lines.push(`Features: ${features.join(', ')} (darkroom features describes their options)`);
  }
  return lines.join('\n');
}

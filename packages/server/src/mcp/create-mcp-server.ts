import { readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { parseStudioImage } from '../commands/parse-studio-image.js';
import type { Studio, StudioFeature } from '../commands/studio.js';
import { isImageList } from '../commands/to-studio-feature.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Image types MCP clients show; a feature's `format` is offered (and defaulted) as these. */
const mcpFormats = ['png', 'jpeg'];

/**
 * A feature as an MCP tool: its id, description and input schema (`StudioFeature.input_schema`:
 * image fields, whatever their names, take a file path, URL, asset id or data URI; a list field an
 * array of them). `format`, when the feature has it, is
 * `png` or `jpeg` (PNG when not given), the image types MCP clients display.
 */
export function toMcpTool(feature: StudioFeature): Tool {
  const properties = { ...feature.input_schema.properties };
  if (properties.format) properties.format = { type: 'string', enum: mcpFormats, default: 'png', description: 'Output format: png (default) or jpeg' };
  return { name: feature.id, description: feature.description, inputSchema: { ...feature.input_schema, type: 'object', properties } };
}

/** An error as a tool's result (the model sees it and may correct its call): its code and message. */
function toolError(error: unknown): CallToolResult {
  const { code, message } = error instanceof Error ? (error as Error & { code?: unknown }) : { code: undefined, message: String(error) };
  const coded = typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : 'internal';
  const text = coded === 'internal' && !(typeof code === 'string') ? 'internal: the tool failed unexpectedly' : `${coded}: ${message}`;
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * An MCP server (the official SDK's, protocol only: connect it to a transport) whose tools are
 * `features` run on `studio`: one tool per feature, plugins included (see `toMcpTool`). A call
 * answers each image the feature made as MCP image content (base64) followed by a text naming its
 * size, asset id (to pass to another tool), gallery id and URL (`assetUrl` turns the API path into
 * one a person can open); a call with a `progressToken` gets `notifications/progress` (0..100) as
 * the job advances; a cancelled request cancels the job. Bad input and failures are tool errors
 * (`isError`) whose text is `code: message`.
 *
 * @example
 * const server = createMcpServer({ studio, features: await studio.features() });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(options: { studio: Studio; features: StudioFeature[]; assetUrl?: (url: string) => string }): Server {
  const { studio, features } = options;
  const assetUrl = options.assetUrl ?? ((url: string) => studio.assetUrl(url));
  const server = new Server(
    { name: 'darkroom', version },
    {
      capabilities: { tools: {} },
      instructions: 'Darkroom photo-studio features. Image inputs take a file path, an http(s) URL, an asset id (ast_…, from an earlier result) or a data URI.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: features.map(toMcpTool) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const feature = features.find((candidate) => candidate.id === request.params.name);
    if (!feature) return toolError(Object.assign(new Error(`No tool ${JSON.stringify(request.params.name)}; tools: ${features.map((candidate) => candidate.id).join(', ')}`), { code: 'not_found' }));
    try {
      const args = { ...request.params.arguments };
      const allowed = Object.keys(feature.input_schema.properties ?? {});
      const unknown = Object.keys(args).filter((name) => !allowed.includes(name));
      if (unknown.length > 0) throw Object.assign(new Error(`${feature.id} has no argument ${unknown.join(', ')}; its arguments: ${allowed.join(', ')}`), { code: 'invalid_input' });
      for (const field of feature.image_fields) {
        const value = args[field];
        if (value === undefined) continue;
        if (isImageList(feature, field)) {
          if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw Object.assign(new Error(`${field}: expected an array of strings (file paths, URLs, asset ids or data URIs)`), { code: 'invalid_input' });
          args[field] = value.map((item: string, index) => parseStudioImage(item, `${field}[${index}]`));
        } else if (typeof value !== 'string') throw Object.assign(new Error(`${field}: expected a string (a file path, URL, asset id or data URI)`), { code: 'invalid_input' });
        else args[field] = parseStudioImage(value, field);
      }
      if (allowed.includes('format') && args.format === undefined) args.format = 'png';
      const token = request.params._meta?.progressToken;
      let sent = -1;
      const result = await studio.run(feature.id, args, {
        signal: extra.signal,
        onProgress: ({ progress, step }) => {
          // MCP wants progress to grow with each notification.
          if (token === undefined || progress <= sent) return;
          sent = progress;
          void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100, ...(step ? { message: step } : {}) } }).catch(() => undefined);
        },
      });
      const content: CallToolResult['content'] = [];
      for (const [index, image] of result.images.entries()) {
        const { bytes, mimeType } = await studio.asset(image.asset_id);
        content.push({ type: 'image', data: Buffer.from(bytes).toString('base64'), mimeType });
        content.push({ type: 'text', text: `Image ${index + 1}: ${image.width}×${image.height} ${mimeType}; asset id ${image.asset_id} (pass it as an image to another tool); gallery id ${image.gallery_id}; url ${assetUrl(image.url)}` });
      }
      content.push({ type: 'text', text: `${feature.id} ran on ${result.provider} (${result.model})${result.seed !== undefined ? `, seed ${result.seed}` : ''}; job ${result.job_id}` });
      return { content };
    } catch (error) {
      return toolError(error);
    }
  });
  return server;
}

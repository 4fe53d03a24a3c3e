/**
 * A JSON Schema (draft 2020-12) node, as much of it as Darkroom's tools read: a feature's
 * `input_schema` (`GET /v1/features`) is one, from which the playground draws forms and the CLI and
 * MCP server take options. Other keywords may be present; they are typed `unknown`.
 */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
}

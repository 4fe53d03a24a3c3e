import { z } from 'zod';
import { DarkroomError, imageFieldsOf, type AnyFeature, type ToolSpec } from '@darkroom/plugin-api';
import { findKeywordOverlaps, type KeywordOverlap } from './find-keyword-overlaps.js';

/** A feature as an LLM sees it: a tool whose parameters are the feature's input JSON schema. */
export type FeatureTool = ToolSpec;

/** The features of one engine. Explicit, never global; a duplicate id or route is an error. */
export class FeatureRegistry {
  private readonly byId = new Map<string, AnyFeature>();
  private readonly byRoute = new Map<string, AnyFeature>();

  constructor(features: AnyFeature[] = []) {
    for (const feature of features) this.register(feature);
  }

  register(feature: AnyFeature): void {
    if (this.byId.has(feature.id)) {
      throw new DarkroomError({ code: 'configuration', message: `Two features have the id ${JSON.stringify(feature.id)}; feature ids must be unique` });
    }
    if (this.byRoute.has(feature.route)) {
      throw new DarkroomError({ code: 'configuration', message: `Features ${this.byRoute.get(feature.route)!.id} and ${feature.id} share the route ${feature.route}` });
    }
    this.byId.set(feature.id, feature);
    this.byRoute.set(feature.route, feature);
  }

  list(): AnyFeature[] {
    return [...this.byId.values()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): AnyFeature {
    const feature = this.byId.get(id);
    if (!feature) throw new DarkroomError({ code: 'not_found', message: `No feature ${JSON.stringify(id)} is registered`, details: { features: [...this.byId.keys()] } });
    return feature;
  }

  byRouteName(route: string): AnyFeature | undefined {
    return this.byRoute.get(route);
  }

  /** Keywords more than one registered feature declares (see {@link findKeywordOverlaps}). */
  keywordOverlaps(): KeywordOverlap[] {
    return findKeywordOverlaps(this.list());
  }

  /** Every feature as a tool, for function-calling intent detectors. Image fields are left out: the conversation supplies images. */
  tools(): FeatureTool[] {
    return this.list().map((feature) => toFeatureTool(feature));
  }
}

/**
 * A feature as a function-calling tool: its id, description, input JSON schema without its image
 * fields (every field `imageFieldsOf` names: the conversation supplies images, a model never writes
 * them), its example requests and keywords, and whether it works on the image at hand.
 *
 * @example
 * const tool = toFeatureTool(upscaleFeature); // { name: 'upscale', parameters: { properties: { scale: … } }, worksOnImage: true, … }
 */
export function toFeatureTool(feature: AnyFeature): FeatureTool {
  const schema = z.toJSONSchema(feature.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  // Images come from the conversation, not from the model.
  for (const { name } of imageFieldsOf(feature.input)) {
    if (!schema.properties) break;
    delete schema.properties[name];
    if (schema.required) schema.required = schema.required.filter((required) => required !== name);
  }
  delete schema.$schema;
  return {
    name: feature.id,
    description: feature.description,
    parameters: schema,
    examples: feature.intents.examples,
    keywords: feature.intents.keywords,
    ...(feature.intents.verbs?.length ? { verbs: feature.intents.verbs } : {}),
    worksOnImage: Boolean(feature.chat.imageField),
  };
}

// npm run eval:intent [-- --detector rule-based|gemini|parasail] [--split train|dev] [--file path.jsonl] [--worst 20]
//
// Runs an intent router over the labelled requests in datasets/intent/ and prints overall accuracy,
// per-label accuracy, a confusion matrix and the worst examples. A request with `has_image` is
// planned with an attached photo (as the chat flow does: the attached image becomes the plan's
// context image). The predicted label is the first step's feature; no step (a clarifying answer) is
// `out-of-scope`.
//
// `--detector rule-based` (the default) is the offline router. `--detector gemini|parasail` runs the
// real provider client and `createProviderDetector`, as the engine assembles them, against the
// provider's loopback fake on 127.0.0.1. The fake answers from the wire request alone: the tools'
// keywords and examples, the user's words and the images at hand it was told
// (`answerIntentFromWire`). Those numbers measure the plumbing — what reaches the model and how its
// answer comes back — not the quality of Gemini or any other real model. `--drop-context` withholds
// the images at hand from the detector, to show that the evaluation notices.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createProviderDetector,
  createProviderRefiner,
  createRuleBasedDetector,
  createRuleBasedRefiner,
  FeatureRegistry,
  IntentRouter,
  ProviderManager,
  type AnyFeature,
  type IntentDetector,
  type Plugin,
  type Provider,
} from '@darkroom/core';
import { answerIntentFromWire } from '@darkroom/core/testing';
import { createGemini } from '@darkroom/provider-gemini';
import { createParasail } from '@darkroom/provider-parasail';
import { startFakeGemini } from '../packages/providers/gemini/src/testing-fake-gemini.js';
import { startFakeParasail } from '../packages/providers/parasail/src/testing-fake-parasail.js';
import enhance from '@darkroom/plugin-enhance';
import expand from '@darkroom/plugin-expand';
import generate from '@darkroom/plugin-generate';
import objectRemoval from '@darkroom/plugin-object-removal';
import reimagine from '@darkroom/plugin-reimagine';
import relight from '@darkroom/plugin-relight';
import removeBackground from '@darkroom/plugin-remove-background';
import styleTransfer from '@darkroom/plugin-style-transfer';
import upscale from '@darkroom/plugin-upscale';

export const outOfScope = 'out-of-scope';

export interface LabelledRequest {
  text: string;
  has_image: boolean;
  label: string;
  source: string;
  lang: 'en' | 'vi';
}

export function readRequests(file: string): LabelledRequest[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const item = JSON.parse(line) as LabelledRequest;
      if (typeof item.text !== 'string' || typeof item.has_image !== 'boolean' || typeof item.label !== 'string') {
        throw new Error(`${file}:${index + 1}: needs text, has_image and label`);
      }
      return item;
    });
}

const plugins: Plugin[] = [generate, upscale, removeBackground, relight, styleTransfer, reimagine, expand, objectRemoval, enhance];
const builtInFeatures = (): AnyFeature[] => plugins.flatMap((plugin) => plugin.features);

export const detectors = ['rule-based', 'gemini', 'parasail'] as const;
export type DetectorChoice = (typeof detectors)[number];

/** A router under evaluation, what it is, and how to stop what it started. */
export interface EvaluatedRouter {
  router: IntentRouter;
  /** One line for the report: which detector ran, against what. */
  description: string;
  close(): Promise<void>;
}

/** Hides the images at hand from a detector (`--drop-context`): the evaluation should then score lower. */
function withoutContext(detector: IntentDetector): IntentDetector {
  return { name: detector.name, detect: (message, { images: _images, ...context }) => detector.detect(message, context) };
}

/**
 * The router for a detector choice. `gemini` and `parasail` start that provider's loopback fake
 * (answering with {@link answerIntentFromWire}) and point the real client at it with the fake's
 * dummy key, then assemble the provider detector and refiner over a ProviderManager holding it,
 * with the rule-based ones as fallbacks, as `createEngine` does.
 */
export async function createEvaluatedRouter(choice: DetectorChoice, options: { dropContext?: boolean } = {}): Promise<EvaluatedRouter> {
  const registry = new FeatureRegistry(builtInFeatures());
  const wrap = (detector: IntentDetector) => (options.dropContext ? withoutContext(detector) : detector);
  if (choice === 'rule-based') {
    return { router: new IntentRouter(registry, wrap(createRuleBasedDetector()), createRuleBasedRefiner()), description: 'offline rule-based router', close: async () => undefined };
  }
  let provider: Provider;
  let fake: { url: string; close(): Promise<void> };
  if (choice === 'gemini') {
    const gemini = await startFakeGemini({ intent: answerIntentFromWire });
    provider = createGemini({ apiKey: gemini.key, baseURL: gemini.url, timeoutMs: 10_000 });
    fake = gemini;
  } else {
    const parasail = await startFakeParasail({ intent: answerIntentFromWire });
    provider = createParasail({ apiKey: parasail.key, baseURL: parasail.url, timeoutMs: 10_000 });
    fake = parasail;
  }
  const providers = new ProviderManager([provider]);
  const router = new IntentRouter(registry, wrap(createProviderDetector(providers, createRuleBasedDetector())), createProviderRefiner(providers, createRuleBasedRefiner()));
  return {
    router,
    description: `${choice} detector (real ${choice} client → loopback fake at ${fake.url}; the fake answers by a deterministic policy over the wire request: this measures the plumbing, not ${choice === 'gemini' ? 'Gemini' : 'Parasail'}'s quality)`,
    close: () => fake.close(),
  };
}

/**
 * The label a plan gets: its first step's feature. A plan with no step that still recognised a
 * feature with enough confidence (object removal asking for the mask it needs, as the issue asks)
 * counts as that feature; any other clarifying answer is out-of-scope.
 */
export async function predict(router: IntentRouter, item: Pick<LabelledRequest, 'text' | 'has_image'>, threshold = 0.5) {
  const plan = await router.plan(item.text, item.has_image ? { contextImageId: 'ast_attached_photo' } : {});
  const recognised = plan.intents[0] && plan.confidence >= threshold ? plan.intents[0].feature : undefined;
  const label = plan.steps[0]?.feature ?? recognised ?? outOfScope;
  return { label, confidence: plan.confidence, clarification: plan.clarification, detector: plan.detector };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 || column === row.length - 1 && header[column] === 'text' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const percent = (correct: number, total: number) => (total ? `${((100 * correct) / total).toFixed(1)} %` : '-');

async function main() {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'dev' },
      file: { type: 'string' },
      worst: { type: 'string', default: '20' },
      detector: { type: 'string', default: 'rule-based' },
      'drop-context': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run eval:intent [-- --detector rule-based|gemini|parasail] [--split dev|train] [--file path.jsonl] [--worst N] [--drop-context]');
    return;
  }
  const choice = values.detector as DetectorChoice;
  if (!detectors.includes(choice)) throw new Error(`--detector must be one of ${detectors.join(', ')}; got ${JSON.stringify(values.detector)}`);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = values.file ? resolve(values.file) : resolve(root, 'datasets/intent', `${values.split}.jsonl`);
  const items = readRequests(file);
  const evaluated = await createEvaluatedRouter(choice, { dropContext: values['drop-context'] });
  const results = [];
  try {
    for (const item of items) results.push({ item, ...(await predict(evaluated.router, item)) });
  } finally {
    await evaluated.close();
  }

  const featureOrder = ['generate', 'upscale', 'remove-background', 'relight', 'style-transfer', 'reimagine', 'expand', 'object-removal', 'enhance', outOfScope];
  const seen = new Set([...results.map((result) => result.item.label), ...results.map((result) => result.label)]);
  const labels = [...featureOrder.filter((label) => seen.has(label)), ...[...seen].filter((label) => !featureOrder.includes(label)).sort()];

  const correct = results.filter((result) => result.label === result.item.label).length;
  console.log(`Intent evaluation: ${relative(process.cwd(), file)} — ${results.length} requests`);
  console.log(`Detector: ${evaluated.description}${values['drop-context'] ? ' — with the images at hand withheld (--drop-context)' : ''}`);
  const answeredBy = new Map<string, number>();
  for (const result of results) answeredBy.set(result.detector, (answeredBy.get(result.detector) ?? 0) + 1);
  // A provider detector falls back to the rule-based one when the call fails: count it, or a broken pipe would score like the fallback.
  console.log(`Answered by: ${[...answeredBy].map(([name, count]) => `${name} ${count}`).join(', ')}\n`);
  console.log(`Overall accuracy: ${correct}/${results.length} = ${percent(correct, results.length)}`);
  const subsets: [string, (r: (typeof results)[number]) => boolean][] = [
    ['photo attached', (r) => r.item.has_image],
    ['no photo', (r) => !r.item.has_image],
    ['English', (r) => r.item.lang === 'en'],
    ['Vietnamese', (r) => r.item.lang === 'vi'],
  ];
  for (const [name, keep] of subsets) {
    const subset = results.filter(keep);
    if (subset.length) console.log(`  ${name}: ${subset.filter((r) => r.label === r.item.label).length}/${subset.length} = ${percent(subset.filter((r) => r.label === r.item.label).length, subset.length)}`);
  }

  console.log('\nPer label (by the expected label):');
  console.log(
    table(
      ['label', 'n', 'correct', 'accuracy'],
      labels
        .map((label) => {
          const ofLabel = results.filter((result) => result.item.label === label);
          const right = ofLabel.filter((result) => result.label === label).length;
          return [label, ofLabel.length, right, percent(right, ofLabel.length)];
        })
        .filter((row) => (row[1] as number) > 0),
    ),
  );

  const short = (label: string) => ({ 'remove-background': 'rm-bg', 'style-transfer': 'style', 'object-removal': 'obj-rm', [outOfScope]: 'oos' })[label] ?? label;
  console.log('\nConfusion matrix (rows: expected, columns: predicted; oos = out-of-scope):');
  console.log(
    table(
      ['expected \\ predicted', ...labels.map(short)],
      labels
        .filter((expected) => results.some((result) => result.item.label === expected))
        .map((expected) => [expected, ...labels.map((predicted) => results.filter((result) => result.item.label === expected && result.label === predicted).length)]),
    ),
  );

  const worst = Number(values.worst);
  // Worst first: wrong answers given with the highest confidence (a wrong confident step is worse than a wrong question).
  const wrong = results.filter((result) => result.label !== result.item.label).sort((a, b) => b.confidence - a.confidence);
  console.log(`\n${Math.min(worst, wrong.length)} worst of ${wrong.length} errors (most confident first):`);
  console.log(
    table(
      ['expected', 'predicted', 'conf', 'img', 'text'],
      wrong.slice(0, worst).map((result) => [result.item.label, result.label, result.confidence.toFixed(2), result.item.has_image ? 'yes' : 'no', result.item.text.length > 90 ? `${result.item.text.slice(0, 87)}...` : result.item.text]),
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

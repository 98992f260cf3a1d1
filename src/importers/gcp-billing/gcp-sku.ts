/**
 * Vertex AI and Gemini API SKU descriptions, where Google encodes model, token kind,
 * modality, cache, thinking, service tier and context length in free text:
 * "Gemini 2.5 Pro Text Input - Predictions", "Gemini 2.5 Flash Thinking Text Output -
 * Predictions", "Gemini 3 Flash Text Input Caching", "Gemini 2.0 Flash Text Input (Long) -
 * Predictions", "Generate content cached input token count gemini 2.5 flash text",
 * "Claude Sonnet 4.5 Output Tokens". The model is found first and cut out (so "Flash Image"
 * is a model, not an image modality); the rest must name a direction, else the SKU is not
 * understood and the caller keeps its money as 'unclassified'.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { TokenKind } from '../aws-cur/billing-values.js';

export type GcpSku =
  | {
      kind: 'tokens';
      modelName: string;
      /** Catalogue ids to try, most specific first. */
      candidates: string[];
      tokenKind: TokenKind;
      serviceTier: ServiceTier | undefined;
      /** A "(Long)" SKU: requests above the model's long-context threshold. */
      longContext: boolean;
      /** Video input has no rate of its own; it is counted as input. */
      video: boolean;
    }
  | { kind: 'storage'; modelName: string; candidates: string[] };

const GEMINI = /\bgemini[\s-]*(\d+(?:\.\d+)?)(?:[\s-]+(pro|flash|ultra|nano))?(?:[\s-]+(lite|image|live|8b))?/i;
const CLAUDE = /\bclaude[\s-]*(?:(\d(?:\.\d)?)[\s-]*(sonnet|opus|haiku)|(sonnet|opus|haiku)[\s-]*(\d(?:\.\d)?))/i;

function model(description: string): { modelName: string; candidates: string[]; rest: string } | undefined {
  const g = GEMINI.exec(description);
  if (g) {
    const id = (version: string) => ['gemini', version, g[2], g[3]].filter((p) => p !== undefined).join('-').toLowerCase();
    const name = id(g[1]!);
    // "Gemini 3.0 Pro" is gemini-3-pro(-preview) in model ids, "Gemini 2.0 Flash" is gemini-2.0-flash.
    const short = id(g[1]!.replace(/\.0$/, ''));
    return { modelName: name, candidates: [...new Set([name, `${name}-preview`, short, `${short}-preview`])], rest: description.replace(g[0], ' ') };
  }
  const c = CLAUDE.exec(description);
  if (c) {
    const version = (c[1] ?? c[4]!).replace('.', '-');
    const family = (c[2] ?? c[3]!).toLowerCase();
    return { modelName: `claude-${family}-${version}`, candidates: [`claude-${family}-${version}`, `claude-${version}-${family}`], rest: description.replace(c[0], ' ') };
  }
  return undefined;
}

export function parseGcpSku(description: string): GcpSku | undefined {
  const found = model(description);
  if (!found) return undefined;
  const rest = found.rest.toLowerCase();
  const { modelName, candidates } = found;
  if (/\bstorage\b/.test(rest)) return { kind: 'storage', modelName, candidates };

  const output = /\b(output|ouptut)\b/.test(rest);
  const input = /\binput\b/.test(rest);
  const cacheWrite = /\bcache[\s-]*(write|creation)\b|\bcaching[\s-]*write\b/.test(rest);
  const cacheRead = !cacheWrite && /\bcach(ed|ing)\b|\bcache[\s-]*(read|hit)\b/.test(rest);
  if (output === input && !(cacheRead || cacheWrite)) return undefined;
  const modality = /\baudio\b/.test(rest) ? 'audio' : /\bimage\b/.test(rest) ? 'image' : undefined;
  let tokenKind: TokenKind;
  if (output) {
    if (cacheRead || cacheWrite) return undefined;
    const thinking = /\bthinking\s+(text\s+)?output\b/.test(rest);
    tokenKind = modality === 'audio' ? 'outputAudio' : modality === 'image' ? 'outputImage' : thinking ? 'reasoning' : 'output';
  } else if (cacheWrite) tokenKind = /\b1\s*h(our)?\b/.test(rest) ? 'cacheWrite1h' : 'cacheWrite5m';
  else if (cacheRead) tokenKind = 'cacheRead';
  else tokenKind = modality === 'audio' ? 'inputAudio' : modality === 'image' ? 'inputImage' : 'input';

  const serviceTier: ServiceTier | undefined = /\bbatch\b/.test(rest) ? 'batch' : /\bpriority\b/.test(rest) ? 'priority' : /\bflex\b/.test(rest) ? 'flex' : undefined;
  return { kind: 'tokens', modelName, candidates, tokenKind, serviceTier, longContext: /\(long\)|\blong[\s-]*context\b/.test(rest), video: /\bvideo\b/.test(rest) };
}

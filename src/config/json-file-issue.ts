/**
 * The mistake zod finds in a JSON file llmfin reads and a user may edit by hand (a baseline
 * for `llmfin check`, a price catalogue folder), worded as llmfin.yaml's are: the option,
 * what to write there in JSON, what the file had, and its line. zod's own text ("Invalid
 * input: expected object, received string") names its types, not what to write.
 */
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { unknownOptionText } from './option-suggestion.js';
import { issueText } from './parse-config-text.js';
import { readYamlDocument } from './read-yaml-document.js';

export interface JsonFileIssue {
  /** The option's line (or that of the nearest option above it in the file); undefined when it cannot be told. */
  line: number | undefined;
  /** `usage.groups: expected a mapping of names, each written "NAME": {…}, got a list` */
  message: string;
}

/**
 * The issue of `issues` to report, worded and placed in `text`: an unknown option first, as
 * llmfin.yaml's (a misspelt option explains the missing one beside it). The issues must
 * come from a parse with `reportInput: true`, for what the file had.
 */
export function jsonFileIssue(text: string, root: z.ZodType, issues: readonly z.core.$ZodIssue[]): JsonFileIssue {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const path = issue.path.map(String);
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
  const what = unknown !== undefined ? unknownOptionText(root, path, unknown) : issueText(issue, root, 'json');
  return { line: lineOf(text, path, unknown?.[0]), message: `${path.length > 0 ? `${path.join('.')}: ` : ''}${what}` };
}

/**
 * JSON is YAML 1.2, so the YAML reader finds an option's line. A file that JSON reads and
 * YAML refuses (a key written twice) has no line to give: the message stands without one.
 */
function lineOf(text: string, path: readonly string[], unknownKey: string | undefined): number | undefined {
  try {
    return readYamlDocument(text, '').lineOf(path, unknownKey);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

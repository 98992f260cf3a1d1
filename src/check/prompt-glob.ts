/**
 * A small glob for prompt templates: `**` (any folders), `*` and `?` within a name,
 * `{md,txt}` alternatives and `[abc]` classes; paths are `/`-separated and relative to
 * the working directory. Node 20 has no stable fs.glob, and a dependency for this is
 * not worth its weight. `node_modules` and dot-folders are never searched.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SPECIAL = /[*?[{]/;

/** Expands `{a,b}` (nesting allowed) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      const parts: string[] = [];
      let start = open + 1;
      for (const c of commas) {
        parts.push(pattern.slice(start, c));
        start = c + 1;
      }
      parts.push(pattern.slice(start, i));
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((p) => expandBraces(`${head}${p}${tail}`));
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  return [pattern];
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

/** A regular expression for one brace-free pattern. */
export function globRegex(pattern: string): RegExp {
  const segments = pattern.replace(/^\.\//, '').split('/');
  let re = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') re += last ? '.*' : '(?:[^/]+/)*';
    else re += segmentRegex(seg) + (last ? '' : '/');
  });
  return new RegExp(`^${re}$`);
}

/** True when `path` (relative, `/`-separated) matches `pattern`. */
export function globMatch(pattern: string, path: string): boolean {
  return expandBraces(pattern).some((p) => globRegex(p).test(path));
}

/** The files under `cwd` matching any pattern: relative `/` paths, sorted, each once. */
export function globFiles(cwd: string, patterns: readonly string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns.flatMap(expandBraces)) {
    const clean = pattern.replace(/^\.\//, '');
    const segments = clean.split('/');
    const fixed: string[] = [];
    for (const seg of segments) {
      if (SPECIAL.test(seg)) break;
      fixed.push(seg);
    }
    const re = globRegex(clean);
    // A pattern without wildcards names one file; otherwise walk from its fixed prefix folder.
    const base = fixed.length === segments.length ? fixed.slice(0, -1) : fixed;
    walk(cwd, base.join('/'), (rel) => {
      if (re.test(rel)) found.add(rel);
    });
  }
  return [...found].sort();
}

function walk(root: string, rel: string, visit: (rel: string) => void): void {
  let entries;
  try {
    entries = readdirSync(join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      walk(root, path, visit);
    } else if (e.isFile()) visit(path);
  }
}

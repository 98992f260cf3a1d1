/**
 * Colour follows NO_COLOR / FORCE_COLOR and whether the stream is a terminal
 * (https://no-color.org). Colour is never the only signal: states are also words.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CliIO } from './cli-io.js';

export function colorLevel(io: CliIO): 0 | 1 | 2 | 3 {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n === 2 || n === 3 ? n : 1;
  }
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 0;
  if (io.env.TERM === 'dumb') return 0;
  return io.stdout.isTTY ? 1 : 0;
}

export function makeChalk(io: CliIO): ChalkInstance {
  return new Chalk({ level: colorLevel(io) });
}

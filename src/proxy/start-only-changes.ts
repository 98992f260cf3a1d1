/**
 * The settings in llmfin.yaml that a running proxy read once, at start, and that SIGHUP
 * does not apply: where it listens, its log format, how often it writes rows, and the
 * prices it was started with (pricing: overrides, discounts, a pinned catalogue). A port
 * changed in the file followed by SIGHUP must not pass for applied under "config reloaded"
 * while the proxy still listens where it did.
 */
import type { Config } from '../config/config-schema.js';

/** What a command-line flag set at start, which the file cannot change whatever it says. */
export interface StartFlags {
  host?: boolean;
  port?: boolean;
  logFormat?: boolean;
}

/** The start-only settings that differ between the running config and a re-read one: `proxy.port`, `pricing`… */
export function startOnlyChanges(running: Config, fresh: Config, flags: StartFlags = {}): string[] {
  const changed: string[] = [];
  const a = running.proxy;
  const b = fresh.proxy;
  if (!flags.host && a.host !== b.host) changed.push('proxy.host');
  if (!flags.port && a.port !== b.port) changed.push('proxy.port');
  if (!flags.logFormat && (a.log_format ?? 'text') !== (b.log_format ?? 'text')) changed.push('proxy.log_format');
  if (a.flush_interval_ms !== b.flush_interval_ms) changed.push('proxy.flush_interval_ms');
  if (JSON.stringify(running.pricing) !== JSON.stringify(fresh.pricing)) changed.push('pricing');
  return changed;
}

/**
 * What every command's action gets: the IO, colour, the global options, and lazy
 * accessors for the config, the ledger and the pricer. Lazy because `--version` and
 * `--help` must not pay for loading SQLite, zod or the price catalogue.
 */
import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import type { CliIO } from './cli-io.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import { UsageError } from '../shared/errors.js';
import { expandHome } from '../config/expand-home.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface GlobalOptions {
  db?: string | undefined;
  config?: string | undefined;
  format: OutputFormat;
  debug: boolean;
}

export class CliContext {
  readonly io: CliIO;
  readonly chalk: ChalkInstance;
  private readonly root: Command;
  private loaded: LoadedConfig | undefined;
  private pricerInstance: Pricer | undefined;

  constructor(io: CliIO, chalk: ChalkInstance, root: Command) {
    this.io = io;
    this.chalk = chalk;
    this.root = root;
  }

  get globals(): GlobalOptions {
    const o = this.root.opts<{ db?: string; config?: string; format?: string; debug?: boolean }>();
    const format = (o.format ?? 'table') as OutputFormat;
    return { db: o.db, config: o.config, format, debug: o.debug ?? false };
  }

  /** Writes a line to stderr (warnings, hints); stdout stays clean for data. */
  warn(message: string): void {
    this.io.stderr.write(`${this.chalk.yellow('warning:')} ${message}\n`);
  }

  info(message: string): void {
    this.io.stderr.write(`${message}\n`);
  }

  /**
   * The config, read once. `offThread` reads the file on a thread of its own
   * (load-config-off-thread.ts), for a command that runs long enough for the memory to count.
   */
  async config(options: { offThread?: boolean } = {}): Promise<LoadedConfig> {
    if (!this.loaded) {
      const location = { flag: this.globals.config, env: this.io.env, cwd: this.io.cwd };
      if (options.offThread) {
        const { loadConfigOffThread } = await import('./load-config-off-thread.js');
        this.loaded = await loadConfigOffThread(location);
      } else {
        const { loadConfig } = await import('../config/load-config.js');
        this.loaded = await loadConfig(location);
      }
    }
    return this.loaded;
  }

  /** Ledger path by precedence: --db > LLMFIN_DB > config ledger.path > the user's data directory. */
  async ledgerPath(): Promise<string> {
    const { resolve } = await import('node:path');
    // An empty --db (`--db "$LEDGER"` with the variable unset) would fall through to the
    // default ledger: another ledger than the one meant, read or written without a word.
    if (this.globals.db === '') throw new UsageError('--db: expected the ledger file\'s path, got an empty string', { option: '--db', hint: 'give a path such as --db ./llmfin.db, or leave --db out for the default ledger' });
    if (this.globals.db) return resolve(this.io.cwd, expandHome(this.globals.db, this.io.env));
    if (this.io.env.LLMFIN_DB) return resolve(this.io.cwd, expandHome(this.io.env.LLMFIN_DB, this.io.env));
    const { config, path } = await this.config();
    if (config.ledger.path) {
      const { dirname } = await import('node:path');
      return resolve(path ? dirname(path) : this.io.cwd, expandHome(config.ledger.path, this.io.env));
    }
    const { defaultLedgerPath } = await import('../ledger/default-ledger-path.js');
    const { homedir } = await import('node:os');
    return defaultLedgerPath(process.platform, this.io.env, homedir());
  }

  async openLedger(options: { create?: boolean } = {}): Promise<LedgerStore> {
    const { openLedger } = await import('../ledger/index.js');
    const { LLMFIN_VERSION } = await import('./version.js');
    return openLedger(await this.ledgerPath(), { create: options.create ?? true, llmfinVersion: LLMFIN_VERSION });
  }

  /**
   * The catalogue folder `pricing.catalogue` in llmfin.yaml names (relative to that file,
   * `~` for the home folder), which wins over the data directory; undefined when not set.
   */
  async pinnedCatalogueDir(): Promise<string | undefined> {
    const { config, path } = await this.config();
    if (!config.pricing.catalogue) return undefined;
    const { resolve, dirname } = await import('node:path');
    return resolve(path ? dirname(path) : this.io.cwd, expandHome(config.pricing.catalogue, this.io.env));
  }

  async pricer(): Promise<Pricer> {
    if (this.pricerInstance) return this.pricerInstance;
    const { config, path } = await this.config();
    const [{ PriceCatalogue }, { Pricer, configModelsToProviderFiles }, { userCatalogueDir }] = await Promise.all([
      import('../pricing/price-catalogue.js'),
      import('../pricing/pricer.js'),
      import('./user-dirs.js'),
    ]);
    const extra = configModelsToProviderFiles(config.pricing.custom_models, config.pricing.self_hosted);
    const { existsSync } = await import('node:fs');
    let dir = await this.pinnedCatalogueDir();
    if (dir === undefined) {
      const user = userCatalogueDir(this.io.env);
      if (existsSync(`${user}/manifest.json`)) dir = user;
    }
    const catalogue = await PriceCatalogue.load(dir, extra);
    if (config.pricing.discounts.length > 0) {
      const { checkDiscountProviders } = await import('../pricing/discount-providers.js');
      await checkDiscountProviders(config.pricing.discounts, catalogue, path);
    }
    this.pricerInstance = new Pricer(catalogue, { discounts: config.pricing.discounts });
    return this.pricerInstance;
  }
}

/**
 * Parses `--at`/`--since`-style times: ISO dates or UTC instants only, so nothing depends on
 * the local zone. `alsoAccepted` names the other forms the caller took first (`90d`), so the
 * message lists everything the option takes.
 */
export function parseTimeOption(option: string, value: string | undefined, fallback: Date, alsoAccepted?: string): Date {
  if (value === undefined) return fallback;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value);
  const date = ok ? new Date(/T/.test(value) && !/(Z|[+-]\d{2}:\d{2})$/.test(value) ? `${value}Z` : value) : new Date(NaN);
  // JavaScript rolls 2026-02-30 over to March 2; a calendar date that does not exist is an error.
  const calendarOk = ok && !Number.isNaN(date.getTime()) && (/T.*[+-]\d{2}:\d{2}$/.test(value) || date.toISOString().slice(0, 10) === value.slice(0, 10));
  if (!calendarOk) {
    const expected = `an ISO 8601 date or UTC time such as 2026-07-30 or 2026-07-30T12:00:00Z${alsoAccepted ? `, ${alsoAccepted}` : ''}`;
    // A month alone (2026-10) is the likeliest slip: say how to ask for one.
    const month = /^(\d{4})-(\d{2})$/.exec(value);
    const next = month && Number(month[2]) >= 1 && Number(month[2]) <= 12 ? new Date(Date.UTC(Number(month[1]), Number(month[2]), 1)).toISOString().slice(0, 10) : undefined;
    throw new UsageError(`${option}: expected ${expected}, got "${value}"`, {
      option,
      ...(next !== undefined ? { hint: `a whole month is --since ${value}-01 --until ${next} (or --month ${value}, where the command has it)` } : {}),
    });
  }
  return date;
}

/** Parses a whole, non-negative token count. */
export function parseCountOption(option: string, value: string | undefined, unit = 'tokens'): number | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/_/g, '');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${option}: expected a whole number of ${unit} >= 0, got "${value}"`, { option });
  }
  return Number(text);
}

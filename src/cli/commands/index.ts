/**
 * The command registry: one line per command of the contract (PRODUCT.md). A new
 * command is a file in this folder plus one line here.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerInit } from './init.js';
import { registerDemo } from './demo.js';
import { registerPricing } from './pricing.js';
import { registerImport } from './import.js';
import { registerReport } from './report.js';
import { registerAttribute } from './attribute.js';
import { registerReconcile } from './reconcile.js';
import { registerBudget } from './budget.js';
import { registerExport } from './export.js';
import { registerForecast } from './forecast.js';
import { registerAnomalies } from './anomalies.js';
import { registerInsights } from './insights.js';
import { registerRoute } from './route.js';
import { registerProxy } from './proxy.js';
import { registerTop } from './top.js';
import { registerCheck } from './check.js';
import { registerBaseline } from './baseline.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const COMMANDS: RegisterCommand[] = [
  registerInit,
  registerDemo,
  registerImport,
  registerReport,
  registerAttribute,
  registerReconcile,
  registerForecast,
  registerBudget,
  registerAnomalies,
  registerInsights,
  registerProxy,
  registerRoute,
  registerTop,
  registerCheck,
  registerBaseline,
  registerPricing,
  registerExport,
];

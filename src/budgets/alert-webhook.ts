/**
 * Budget alerts to a webhook (`webhook:` on a budget): one JSON POST per crossing of the
 * soft or hard limit, sent off the request path with a short timeout. A webhook that is
 * down never slows or fails a request; the failure is reported to `onError` (the proxy
 * logs it) and the alert is still in the log.
 */
import { request } from 'undici';
import type { BudgetAlert } from './budget-guard.js';

const TIMEOUT_MS = 5000;

export async function postAlert(url: string, alert: BudgetAlert, onError: (message: string) => void): Promise<void> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'llmfin' },
      body: JSON.stringify({ source: 'llmfin', type: 'budget_alert', ...alert }),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    await res.body.dump();
    if (res.statusCode >= 300) onError(`budget ${alert.budget}: webhook answered HTTP ${res.statusCode}`);
  } catch (error) {
    onError(`budget ${alert.budget}: webhook failed (${(error as Error).message})`);
  }
}

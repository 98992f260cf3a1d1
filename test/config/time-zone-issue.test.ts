import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { timeZoneIssue } from '../../src/config/time-zone-issue.js';

const budgetIn = (tz: string) => ['budgets:', '  - name: b', '    limit_usd: 10', `    timezone: ${tz}`, ''].join('\n');

function messageOf(text: string): string {
  try {
    parseConfigText(text, 'llmfin.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('timeZoneIssue', () => {
  it('refuses an abbreviation Intl reads as another zone than its letters suggest, naming that zone', () => {
    // BST would be Dhaka (UTC+6), not London: a budget's day would start five hours off.
    expect(messageOf(budgetIn('BST'))).toBe(
      'llmfin.yaml:4: budgets.0.timezone: expected an IANA time zone, named by region and city such as Europe/London, not an abbreviation (this one would be read as Asia/Dhaka), got string "BST"',
    );
    // Intl matches zone ids whatever their case.
    expect(timeZoneIssue('ist')).toBe('expected an IANA time zone, named by region and city such as Europe/London, not an abbreviation (this one would be read as Asia/Calcutta)');
    expect(timeZoneIssue('NST')).toContain('Pacific/Auckland');
  });

  it('accepts IANA names, including the few without a region and old spellings', () => {
    for (const tz of ['UTC', 'Europe/London', 'Asia/Kolkata', 'Asia/Calcutta', 'Pacific/Chatham', 'EST', 'CET', 'Etc/GMT-5', 'europe/paris']) expect(timeZoneIssue(tz)).toBeUndefined();
    expect(parseConfigText(budgetIn('Asia/Kolkata'), 'llmfin.yaml').budgets[0]!.timezone).toBe('Asia/Kolkata');
  });

  it('refuses a name no zone has', () => {
    expect(timeZoneIssue('Mars/Base')).toBe('expected an IANA time zone such as Europe/Paris');
  });
});

// A command run as text and as JSON with the clock at a given instant (Date alone is faked):
// for what a command calls "today", a price period `current` or `scheduled`.
import { expect, vi } from 'vitest';
import { runCli } from './cli.js';

export async function textAndJsonOn<T>(today: string, argv: string[]): Promise<{ text: string; json: T }> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(new Date(today));
    const text = await runCli(argv);
    expect(text.code, text.stderr).toBe(0);
    const json = await runCli([...argv, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    return { text: text.stdout, json: JSON.parse(json.stdout) as T };
  } finally {
    vi.useRealTimers();
  }
}

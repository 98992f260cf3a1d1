// A proxy in front of a raw node:http upstream (to send exactly the bytes a test needs)
// configured as both an OpenAI and an Anthropic upstream, with an official client of each.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestGate } from '../../src/proxy/request-gate.js';
import { startHarness, type Harness } from './proxy-harness.js';
import { startRawUpstream, type RawUpstream } from './raw-upstream.js';

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RawDialects {
  h: Harness;
  raw: RawUpstream;
  openai: OpenAI;
  anthropic: Anthropic;
  close(): Promise<void>;
}

/** `handler` answers every upstream request (a test swaps what it points at between cases). */
export async function startRawDialects(handler: RawHandler, options: { gate?: RequestGate } = {}): Promise<RawDialects> {
  const raw = await startRawUpstream(handler);
  const h = await startHarness({
    ...(options.gate ? { gate: options.gate } : {}),
    config: { upstreams: { openai: { base_url: raw.url, dialect: 'openai' }, anthropic: { base_url: raw.url, dialect: 'anthropic' } } },
  });
  return {
    h,
    raw,
    openai: new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-0001', maxRetries: 0 }),
    close: async () => {
      await h.close();
      await raw.close();
    },
  };
}

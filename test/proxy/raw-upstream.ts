// A raw node:http upstream on loopback for proxy tests that must control every byte of an
// answer (events cut short, spaced JSON, a provider's own usage fields, a socket destroyed
// mid-body): it reads each request's whole body and hands it, with the request and the
// response, to `handler`, which a test may replace between requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RawHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface RawUpstream {
  /** `http://127.0.0.1:PORT`, no path. */
  url: string;
  /** Answers each request once its body has arrived. */
  handler: RawHandler;
  /** Cuts open connections (streams a test left hanging) and stops listening. */
  close(): Promise<void>;
}

export async function startRawUpstream(handler: RawHandler = (_req, res) => res.end()): Promise<RawUpstream> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => upstream.handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const upstream: RawUpstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handler,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return upstream;
}

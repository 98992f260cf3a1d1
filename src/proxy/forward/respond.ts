/** Answers a request from the proxy itself (errors, refusals), in the dialect's error shape. */
import type { ServerResponse } from 'node:http';
import { dialectErrorBody, type Dialect } from '../dialect-error.js';

export function respondError(
  res: ServerResponse,
  dialect: Dialect,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = dialectErrorBody(dialect, status, code, message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function respondJson(res: ServerResponse, status: number, value: unknown, contentType = 'application/json'): void {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

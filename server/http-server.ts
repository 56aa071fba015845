import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, appErrorBody, type ErrorCode } from './errors';

/** What Node's HTTP parser reports for a request it cannot hand to Express. */
function codeFor(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'BAD_REQUEST_SYNTAX';
}

/**
 * Limits and answers of the listening HTTP server (main.ts and the tests'
 * server): a client gets 20 s to send its headers and 2 min for the whole
 * request (a slow upload on a phone, not a connection held open forever),
 * and a request Node refuses before Express sees it (a URL or headers over
 * 16 KB, broken HTTP, too slow) gets the platform's JSON error body instead
 * of an empty one. The language is not known yet: the message is Chinese.
 */
export function guardHttpServer(server: Server): void {
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) {
      socket.destroy();
      return;
    }
    const code = codeFor(error);
    const failure = new AppError(code);
    const body = JSON.stringify(appErrorBody(failure, 'zh-CN'));
    socket.end(
      `HTTP/1.1 ${failure.status} ${code}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  });
}

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadAttachmentText } from '../../../src/commands/quiz/downloadAttachment.js';
import { freePort } from '../../support/botProcess.js';

// A real HTTP server on 127.0.0.1 plays the attachment CDN.
let server: Server;
let base: string;
const hanging = new Set<ServerResponse>();

const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok.yaml': (res) => res.end('version: 1\nname: Café ☕\n'),
  '/missing.yaml': (res) => {
    res.statusCode = 404;
    res.end('Not Found');
  },
  '/declared-big.yaml': (res) => {
    res.setHeader('content-length', String(2048));
    res.end('x'.repeat(2048));
  },
  // No Content-Length: the size is only known while streaming.
  '/chunked-big.yaml': (res) => {
    res.write('x'.repeat(600));
    res.write('x'.repeat(600));
    res.end('x'.repeat(600));
  },
  '/binary.yaml': (res) => res.end(Buffer.from([0x76, 0x3a, 0xff, 0xfe])),
  '/hang.yaml': (res) => {
    hanging.add(res);
  },
};

beforeAll(async () => {
  server = createServer((req, res) => (routes[req.url ?? ''] ?? routes['/missing.yaml'])?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 1024, timeoutMs: 300 };

describe('downloadAttachmentText', () => {
  it('returns the text of a small UTF-8 file', async () => {
    expect(await downloadAttachmentText(`${base}/ok.yaml`, limits)).toEqual({
      ok: true,
      value: 'version: 1\nname: Café ☕\n',
    });
  });

  it('names the HTTP status of a failed download', async () => {
    expect(await downloadAttachmentText(`${base}/missing.yaml`, limits)).toEqual({
      ok: false,
      error: { kind: 'downloadFailed', reason: { kind: 'httpStatus', status: 404 } },
    });
  });

  it('refuses a file whose declared size is over the limit, without reading it', async () => {
    expect(await downloadAttachmentText(`${base}/declared-big.yaml`, limits)).toEqual({
      ok: false,
      error: { kind: 'fileTooLarge', actualBytes: 2048 },
    });
  });

  it('stops reading once a body without Content-Length passes the limit', async () => {
    expect(await downloadAttachmentText(`${base}/chunked-big.yaml`, limits)).toEqual({
      ok: false,
      error: { kind: 'fileTooLarge', actualBytes: null },
    });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await downloadAttachmentText(`${base}/binary.yaml`, limits)).toEqual({
      ok: false,
      error: { kind: 'notText' },
    });
  });

  it('gives up on a server that never answers after the timeout', async () => {
    expect(await downloadAttachmentText(`${base}/hang.yaml`, limits)).toEqual({
      ok: false,
      error: { kind: 'downloadFailed', reason: { kind: 'timeout', seconds: 0.3 } },
    });
  });

  it('reports a refused connection without the URL (attachment URLs carry signatures)', async () => {
    const result = await downloadAttachmentText(
      `http://127.0.0.1:${await freePort()}/x.yaml?sig=secret`,
      limits,
    );
    expect(result).toEqual({
      ok: false,
      error: { kind: 'downloadFailed', reason: { kind: 'connectionRefused' } },
    });
  });
});

import type { IncomingMessage } from 'node:http';
import { ApiError, invalidFormBody } from './ApiError.js';
import type { UploadedFile } from './types.js';

const MAX_BODY_BYTES = 30 * 1024 * 1024;

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 40005, 'Request entity too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies, and multipart bodies as discord.js sends them (`payload_json` + `files[n]`). */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    let body: unknown;
    const files: UploadedFile[] = [];
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') {
        body = parseJson(value);
      } else if (typeof value !== 'string') {
        const index = /^files\[(\d+)\]$/.exec(key)?.[1];
        files[index !== undefined ? Number(index) : files.length] = {
          name: value.name,
          content: Buffer.from(await value.arrayBuffer()),
          contentType: value.type || 'application/octet-stream',
        };
      }
    }
    return { body, files: files.filter((f) => f !== undefined) };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

/** A plain object body or a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidFormBody('_body', 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  }
  return body as Record<string, unknown>;
}

import type { DownloadFailureReason } from '../../quiz/QuizService.js';
import { err, ok, type Result } from '../../quiz/result.js';

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
}

export type DownloadError =
  | { kind: 'fileTooLarge'; actualBytes: number | null }
  | { kind: 'downloadFailed'; reason: DownloadFailureReason }
  | { kind: 'notText' };

/**
 * Fetches an attachment as UTF-8 text: refuses more than `maxBytes` (by Content-Length, and by
 * counting while streaming, so a lying server cannot make us buffer more), gives up after
 * `timeoutMs`, and never throws for network trouble.
 */
export async function downloadAttachmentText(
  url: string,
  options: DownloadOptions,
): Promise<Result<string, DownloadError>> {
  let response: Response;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      return err({
        kind: 'downloadFailed',
        reason: networkReason(error, controller.signal, options.timeoutMs),
      });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return err({ kind: 'downloadFailed', reason: { kind: 'httpStatus', status: response.status } });
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return err({ kind: 'fileTooLarge', actualBytes: declared });
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      // Leaving the loop early cancels the body: the rest is never read.
      for await (const chunk of response.body ?? []) {
        received += chunk.byteLength;
        if (received > options.maxBytes) break;
        chunks.push(chunk);
      }
    } catch (error) {
      return err({
        kind: 'downloadFailed',
        reason: networkReason(error, controller.signal, options.timeoutMs),
      });
    }
    if (received > options.maxBytes) return err({ kind: 'fileTooLarge', actualBytes: null });
    try {
      return ok(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
    } catch {
      return err({ kind: 'notText' });
    }
  } finally {
    clearTimeout(timer);
  }
}

/** A short, secret-free reason (no URL: attachment URLs carry signed query strings). */
function networkReason(error: unknown, signal: AbortSignal, timeoutMs: number): DownloadFailureReason {
  if (signal.aborted) return { kind: 'timeout', seconds: timeoutMs / 1000 };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return { kind: 'connectionRefused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'hostNotFound' };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { kind: 'connectionReset' };
  return { kind: 'network' };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './ApiError.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { parseBody, readRaw } from './httpBody.js';
import type { InteractionRecord } from './InteractionRecord.js';
import type { BucketState, RestResponse } from './RestLimits.js';
import {
  json,
  matchSegments,
  type Params,
  type Route,
  type RouteContext,
  type RouteResult,
  safeDecode,
} from './routing.js';
import type { InteractionError, RecordedRestCall } from './types.js';

/** HTTP plumbing: records each call, applies outage, faults, auth and rate limits, runs the route, serves attachments. */
export class RestServer {
  constructor(
    private readonly core: EmulatorCore,
    private readonly routes: Route[],
  ) {}

  async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/attachments/')) {
      this.serveAttachment(url.pathname, method, res);
      return;
    }
    const apiMatch = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    const raw = await readRaw(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const segments = (apiMatch?.[2] ?? url.pathname)
      .split('/')
      .filter((s) => s.length > 0)
      .map(safeDecode);
    const path = `/${segments.join('/')}`;
    const query = Object.fromEntries(url.searchParams.entries());
    const call: RecordedRestCall = {
      method,
      path,
      query,
      headers,
      body: undefined,
      files: [],
      status: 0,
      at: Date.now(),
      matchedRoute: null,
    };
    this.core.restCalls.push(call);
    let result: RouteResult;
    let route: Route | undefined;
    let params: Params = {};
    let bucketState: BucketState | undefined;
    const ctx: RouteContext = { params, query, body: undefined, files: [], call };
    try {
      const parsed = await parseBody(raw, req.headers['content-type']);
      call.body = parsed.body;
      call.files = parsed.files;
      ctx.body = parsed.body;
      ctx.files = parsed.files;
      if (!apiMatch) throw new ApiError(404, 0, '404: Not Found');
      if (!this.core.isAvailable()) {
        result = json(503, { message: 'Service Unavailable (emulated outage)', code: 0 });
      } else {
        const fault = this.core.limits.takeFault(method, path);
        if (fault) {
          call.fault = true;
          this.writeAnswer(res, this.core.limits.faultResponse(fault), call);
          return;
        }
        for (const r of this.routes) {
          const p = r.method === method ? matchSegments(r.segments, segments) : undefined;
          if (p) {
            route = r;
            params = p;
            break;
          }
        }
        if (!route) {
          this.core.unhandledCalls.push(call);
          throw new ApiError(404, 0, '404: Not Found');
        }
        call.matchedRoute = `${route.method} ${route.pattern}`;
        ctx.params = params;
        if (route.auth && headers.authorization !== `Bot ${this.core.token}`) {
          throw new ApiError(401, 0, '401: Unauthorized');
        }
        bucketState = this.core.limits.takeRateLimit(route, params);
        if (bucketState && bucketState.count > bucketState.limit) {
          this.writeAnswer(res, this.core.limits.rateLimitedResponse(route, bucketState), call);
          return;
        }
        // Handlers are synchronous so call.status is set before any waiter resumes.
        const out = route.handler(ctx);
        result = out instanceof Promise ? await out : out;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result = json(error.status, error.toJSON());
      call.status = error.status;
      if (ctx.interaction) this.recordInteractionError(ctx.interaction, call, error);
    }
    call.status = result.status;
    const responseHeaders: Record<string, string> = {};
    if (this.core.options.rateLimitHeaders)
      Object.assign(responseHeaders, this.core.limits.rateLimitHeaders(route, bucketState));
    if (result.json !== undefined) responseHeaders['content-type'] = 'application/json';
    res.writeHead(result.status, responseHeaders);
    res.end(result.json !== undefined ? JSON.stringify(result.json) : undefined);
    this.logCall(call);
    this.core.events.emit('rest', call);
  }

  private serveAttachment(pathname: string, method: string, res: ServerResponse): void {
    const id = pathname.split('/')[2] ?? '';
    const stored = this.core.world.attachments.get(id);
    if (!stored || (method !== 'GET' && method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, {
      'content-type': stored.attachment.content_type ?? 'application/octet-stream',
      'content-length': String(stored.content.length),
    });
    res.end(method === 'HEAD' ? undefined : stored.content);
  }

  /** Writes a fault's or a rate limit's answer and records the call. */
  private writeAnswer(res: ServerResponse, answer: RestResponse, call: RecordedRestCall): void {
    call.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.json));
    this.logCall(call);
    this.core.events.emit('rest', call);
  }

  private logCall(call: RecordedRestCall): void {
    if (!this.core.options.logFrames) return;
    process.stderr.write(
      `[emu rest] ${call.method} ${call.path} → ${call.status}${call.matchedRoute ? '' : ' (unhandled)'}${call.fault ? ' (fault)' : ''}\n`,
    );
  }

  private recordInteractionError(rec: InteractionRecord, call: RecordedRestCall, error: ApiError): void {
    const entry: InteractionError = {
      method: call.method,
      path: call.path,
      status: error.status,
      code: error.code,
      message: error.message,
      at: Date.now(),
    };
    rec.addError(entry);
    this.core.events.emit('interactionError', { interactionId: rec.id, error: entry });
  }
}

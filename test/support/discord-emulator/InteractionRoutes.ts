import {
  type APIMessage,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import { ApiError, ErrorCodes } from './ApiError.js';
import type { ChannelRoutes } from './ChannelRoutes.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { objectBody } from './httpBody.js';
import type { InteractionRecord } from './InteractionRecord.js';
import {
  type AddRoute,
  EPHEMERAL,
  json,
  LOADING,
  type RouteContext,
  type RouteResult,
  SETTABLE_FLAGS,
} from './routing.js';
import type { InteractionResponseKind, ResponseData, StoredMessage, UploadedFile } from './types.js';
import { validateAutocompleteChoices, validateMessageBody, validateModal } from './validation.js';

/** Interaction responses: the callback, and the webhook routes (@original, messages, followups). */
export class InteractionRoutes {
  constructor(
    private readonly core: EmulatorCore,
    private readonly channels: ChannelRoutes,
  ) {}

  register(add: AddRoute): void {
    // Interaction callback (no Authorization: the token in the URL is the credential).
    add('POST', '/interactions/:interactionId/:token/callback', false, (ctx) =>
      this.interactionCallback(ctx),
    );

    // Interaction webhooks.
    add('GET', '/webhooks/:app/:token/messages/@original', false, (ctx) => {
      const rec = this.webhookInteraction(ctx);
      return json(200, this.interactionMessage(rec, rec.originalMessageId).message);
    });
    add('PATCH', '/webhooks/:app/:token/messages/@original', false, (ctx) =>
      this.editInteractionMessage(ctx, '@original'),
    );
    add('DELETE', '/webhooks/:app/:token/messages/@original', false, (ctx) =>
      this.deleteInteractionMessage(ctx, '@original'),
    );
    add('GET', '/webhooks/:app/:token/messages/:messageId', false, (ctx) => {
      const rec = this.webhookInteraction(ctx);
      return json(200, this.interactionMessage(rec, ctx.params.messageId).message);
    });
    add('PATCH', '/webhooks/:app/:token/messages/:messageId', false, (ctx) =>
      this.editInteractionMessage(ctx, ctx.params.messageId ?? ''),
    );
    add('DELETE', '/webhooks/:app/:token/messages/:messageId', false, (ctx) =>
      this.deleteInteractionMessage(ctx, ctx.params.messageId ?? ''),
    );
    add('POST', '/webhooks/:app/:token', false, (ctx) => this.followup(ctx));
  }

  // ── interaction responses ────────────────────────────────────────────────

  private interactionCallback(ctx: RouteContext): RouteResult {
    const rec = this.core.interactions.get(ctx.params.interactionId ?? '');
    if (!rec || rec.token !== ctx.params.token) {
      throw new ApiError(404, ErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    ctx.interaction = rec;
    if (rec.acknowledged) {
      throw new ApiError(
        400,
        ErrorCodes.InteractionAlreadyAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    if (Date.now() - rec.createdAt > this.core.ackDeadlineMs) {
      throw new ApiError(404, ErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    const body = objectBody(ctx.body);
    const type = body.type as InteractionResponseType;
    const data = (body.data ?? {}) as ResponseData;
    if (!allowedCallbackTypes(rec).includes(type)) {
      throw new ApiError(400, ErrorCodes.InvalidFormBody, 'Invalid Form Body', {
        type: {
          _errors: [
            { code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Response type ${type} is not valid here` },
          ],
        },
      });
    }
    let messageId: string | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        validateMessageBody(data, ctx.files.length, true);
        const flags = (typeof data.flags === 'number' ? data.flags : 0) & SETTABLE_FLAGS;
        messageId = this.createInteractionMessage(rec, data, ctx.files, flags).message.id;
        rec.originalMessageId = messageId;
        rec.ephemeral = (flags & EPHEMERAL) !== 0;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL) | LOADING;
        messageId = this.createInteractionMessage(rec, {}, [], flags).message.id;
        rec.originalMessageId = messageId;
        rec.ephemeral = (flags & EPHEMERAL) !== 0;
        rec.loading = true;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        rec.originalMessageId = rec.sourceMessageId;
        messageId = rec.sourceMessageId;
        break;
      case InteractionResponseType.UpdateMessage: {
        validateMessageBody(data, ctx.files.length, false);
        const stored = rec.sourceMessageId ? this.core.world.messages.get(rec.sourceMessageId) : undefined;
        if (!stored || stored.deleted) throw new ApiError(404, ErrorCodes.UnknownMessage, 'Unknown Message');
        this.core.world.applyEdit(stored, data, this.core.world.attachmentsFor(ctx.files));
        rec.originalMessageId = stored.message.id;
        messageId = stored.message.id;
        this.channels.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        validateAutocompleteChoices(data);
        break;
      case InteractionResponseType.Modal:
        validateModal(data);
        break;
      default:
        break;
    }
    rec.ackType = type;
    this.recordResponse(rec, 'callback', data, ctx.files, messageId, type);
    if (ctx.query.with_response !== 'true') return json(204);
    const message = messageId ? this.core.world.messages.get(messageId)?.message : undefined;
    return json(200, {
      interaction: {
        id: rec.id,
        type: rec.type,
        activity_instance_id: null,
        response_message_id: messageId ?? null,
        response_message_loading: rec.loading,
        response_message_ephemeral: rec.ephemeral,
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  private createInteractionMessage(
    rec: InteractionRecord,
    data: ResponseData,
    files: UploadedFile[],
    flags: number,
    kind: 'original' | 'followup' = 'original',
  ): StoredMessage {
    const member = rec.payload.member;
    const user = member?.user ?? rec.payload.user;
    const message = this.core.world.buildBotMessage({
      channelId: rec.channelId,
      guildId: rec.guildId,
      type: rec.type === InteractionType.ApplicationCommand && kind === 'original' ? 20 : 19,
      body: data,
      attachments: this.core.world.attachmentsFor(files),
      flags,
      webhook: true,
      interactionMetadata: {
        id: rec.id,
        type: rec.type,
        user: user!,
        authorizing_integration_owners: rec.payload.authorizing_integration_owners,
      } as APIMessage['interaction_metadata'],
    });
    const stored: StoredMessage = {
      message,
      guildId: rec.guildId,
      files,
      allowedMentions: data.allowed_mentions,
      via: 'interaction',
      deleted: false,
    };
    this.core.world.insertMessage(stored);
    this.channels.messageChanged(stored, GatewayDispatchEvents.MessageCreate);
    return stored;
  }

  private recordResponse(
    rec: InteractionRecord,
    kind: InteractionResponseKind,
    data: ResponseData,
    files: UploadedFile[],
    messageId: string | undefined,
    type?: InteractionResponseType,
  ): void {
    const response = rec.addResponse({
      kind,
      ...(type !== undefined ? { type } : {}),
      data,
      files,
      ...(messageId ? { messageId } : {}),
    });
    this.core.events.emit('interactionResponse', { interactionId: rec.id, response });
  }

  /** Token checks shared by every webhook route: 50027 after the token lifetime, 10015 before any ACK. */
  private webhookInteraction(ctx: RouteContext): InteractionRecord {
    if (ctx.params.app !== this.core.applicationId)
      throw new ApiError(404, ErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const rec = this.core.interactionsByToken.get(ctx.params.token ?? '');
    if (!rec) throw new ApiError(401, ErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    ctx.interaction = rec;
    if (Date.now() - rec.createdAt > this.core.tokenLifetimeMs) {
      throw new ApiError(401, ErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    if (!rec.acknowledged) throw new ApiError(404, ErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return rec;
  }

  private interactionMessage(rec: InteractionRecord, messageId: string | undefined): StoredMessage {
    const owned =
      messageId !== undefined && (messageId === rec.originalMessageId || rec.followupIds.includes(messageId));
    const stored = owned ? this.core.world.messages.get(messageId) : undefined;
    if (!stored || stored.deleted) throw new ApiError(404, ErrorCodes.UnknownMessage, 'Unknown Message');
    return stored;
  }

  private editInteractionMessage(ctx: RouteContext, which: string): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const isOriginal = which === '@original';
    const stored = this.interactionMessage(rec, isOriginal ? rec.originalMessageId : which);
    const body = objectBody(ctx.body);
    validateMessageBody(body, ctx.files.length, false);
    this.core.world.applyEdit(stored, body, this.core.world.attachmentsFor(ctx.files));
    if (stored.message.id === rec.originalMessageId && rec.loading) {
      rec.loading = false;
      stored.message.flags = (stored.message.flags ?? 0) & ~LOADING;
    }
    if (typeof body.flags === 'number') {
      const keep = (stored.message.flags ?? 0) & EPHEMERAL;
      stored.message.flags = keep | (body.flags & SETTABLE_FLAGS & ~EPHEMERAL);
    }
    this.recordResponse(
      rec,
      isOriginal ? 'edit_original' : 'edit_message',
      body,
      ctx.files,
      stored.message.id,
    );
    this.channels.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
    return json(200, stored.message);
  }

  private deleteInteractionMessage(ctx: RouteContext, which: string): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const isOriginal = which === '@original';
    const stored = this.interactionMessage(rec, isOriginal ? rec.originalMessageId : which);
    stored.deleted = true;
    if (stored.message.id === rec.originalMessageId) rec.loading = false;
    this.recordResponse(rec, isOriginal ? 'delete_original' : 'delete_message', {}, [], stored.message.id);
    this.channels.messageChanged(stored, GatewayDispatchEvents.MessageDelete);
    return json(204);
  }

  private followup(ctx: RouteContext): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const body = objectBody(ctx.body) as ResponseData;
    validateMessageBody(body, ctx.files.length, true);
    const bodyFlags = (typeof body.flags === 'number' ? body.flags : 0) & SETTABLE_FLAGS;
    let stored: StoredMessage;
    const original = rec.originalMessageId ? this.core.world.messages.get(rec.originalMessageId) : undefined;
    if (rec.loading && original && !original.deleted) {
      // The first followup after a deferred reply completes the loading message (ephemerality from the ACK).
      stored = original;
      this.core.world.applyEdit(stored, body, this.core.world.attachmentsFor(ctx.files));
      stored.message.edited_timestamp = null;
      stored.message.flags = (rec.ephemeral ? EPHEMERAL : 0) | (bodyFlags & ~EPHEMERAL);
      rec.loading = false;
      this.channels.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
    } else {
      stored = this.createInteractionMessage(rec, body, ctx.files, bodyFlags, 'followup');
      rec.followupIds.push(stored.message.id);
    }
    this.recordResponse(rec, 'followup', body, ctx.files, stored.message.id);
    return ctx.query.wait === 'false' ? json(204) : json(200, stored.message);
  }
}

function allowedCallbackTypes(rec: InteractionRecord): InteractionResponseType[] {
  const R = InteractionResponseType;
  switch (rec.type) {
    case InteractionType.ApplicationCommand:
      return [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal];
    case InteractionType.MessageComponent:
      return [
        R.ChannelMessageWithSource,
        R.DeferredChannelMessageWithSource,
        R.DeferredMessageUpdate,
        R.UpdateMessage,
        R.Modal,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [R.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return rec.sourceMessageId
        ? [
            R.ChannelMessageWithSource,
            R.DeferredChannelMessageWithSource,
            R.DeferredMessageUpdate,
            R.UpdateMessage,
          ]
        : [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource];
    default:
      return [R.Pong];
  }
}

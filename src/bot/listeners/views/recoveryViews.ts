import { z } from 'zod';
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  recoveryFieldLimits,
  recoveryReference,
  validateRecoveryForm,
  type RecoveryField,
  type RecoveryForm,
} from '../../../domain/recovery.js';
import { REJECT_REASON_LIMIT, recoveryCallbackIds, recoveryFieldIds, rejectReasonId } from '../../blocks/recoveryModals.js';
import { recoveryNotFiled, recoveryRefusalText } from '../../blocks/recoveryReplies.js';
import { noticeModal } from '../../blocks/noticeModal.js';
import { mrkdwn } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { fingerprintLetter } from '../../letters.js';
import { damagedFormText, parseMetadata, rowId, warnDamaged } from '../payload.js';
import { fileValue, textValue } from './values.js';

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const requestMetadata = z.object({ requestId: rowId });

export function register(app: App, ctx: VouchContext): void {
  app.view<ViewSubmitAction>(recoveryCallbackIds.request, async ({ ack, body, view, client }: SubmitArgs) => {
    const form = Object.fromEntries(
      (Object.keys(recoveryFieldLimits) as RecoveryField[]).map((field) => [field, textValue(view, recoveryFieldIds[field])]),
    ) as RecoveryForm;
    const letter = fileValue(view, recoveryFieldIds.letter);
    const errors = validateRecoveryForm(form, letter);
    if (Object.keys(errors).length > 0) {
      return ack({
        response_action: 'errors',
        errors: Object.fromEntries(
          Object.entries(errors).map(([field, error]) => [recoveryFieldIds[field as RecoveryField | 'letter'], error]),
        ),
      });
    }
    // Slack wants an answer within 3 seconds; downloading and checking the letter may take longer,
    // so the requester gets their reference now and any later failure by DM.
    const reference = recoveryReference(Math.random);
    await ack({
      response_action: 'update',
      view: noticeModal(
        'Request sent',
        mrkdwn`Your request *${reference}* went to support. Quote this reference if you contact them; you will get the answer in a DM.`,
      ),
    });
    const requester = body.user.id;
    try {
      const read = await fingerprintLetter(client, (letter as { id: string }).id, ctx.letters);
      if (!read.ok) {
        ctx.logger.warn({ reference, problem: read.problem.kind, detail: read.detail }, 'recovery letter not read; nothing filed');
        await client.chat.postMessage({ channel: requester, ...recoveryNotFiled(reference, read.problem) });
        return;
      }
      await ctx.workflows.recovery.file({ reference, requester, form, letter: read.letter });
      afterCommit(ctx);
    } catch (error) {
      ctx.logger.error({ err: error, reference }, 'recovery request could not be filed');
      await client.chat.postMessage({ channel: requester, ...recoveryNotFiled(reference) });
    }
  });

  app.view<ViewSubmitAction>(recoveryCallbackIds.reject, async ({ ack, body, view }: SubmitArgs) => {
    const meta = parseMetadata(requestMetadata, view);
    const reason = textValue(view, rejectReasonId);
    if (!meta) {
      warnDamaged(ctx.logger, { user: body.user.id, id: view.callback_id, kind: 'form' }, view.private_metadata);
      return ack({ response_action: 'update', view: noticeModal('Reject', damagedFormText) });
    }
    if (!reason || reason.length > REJECT_REASON_LIMIT) {
      return ack({
        response_action: 'errors',
        errors: { [rejectReasonId]: `Give the requester a reason, up to ${REJECT_REASON_LIMIT} characters.` },
      });
    }
    const result = await ctx.workflows.recovery.reject({ requestId: meta.requestId, actor: body.user.id, reason });
    if (result.kind !== 'ok') return ack({ response_action: 'update', view: noticeModal('Reject', recoveryRefusalText(result.refusal)) });
    await ack();
    afterCommit(ctx);
  });
}

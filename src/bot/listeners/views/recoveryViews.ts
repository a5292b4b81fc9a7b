import { z } from 'zod';
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  letterTypeProblem,
  recoveryFieldLimits,
  recoveryReference,
  validateRecoveryForm,
  type RecoveryField,
  type RecoveryForm,
} from '../../../domain/recovery.js';
import {
  answerId,
  correctedLetterId,
  questionId,
  REJECT_REASON_LIMIT,
  recoveryCallbackIds,
  recoveryFieldIds,
  rejectReasonId,
} from '../../blocks/recoveryModals.js';
import { recoveryAnswerNotSent, recoveryNotFiled, recoveryRefusalText } from '../../blocks/recoveryReplies.js';
import { RECOVERY_ANSWER_LIMIT, RECOVERY_QUESTION_LIMIT } from '../../../domain/recoveryQuestions.js';
import { noticeModal } from '../../blocks/noticeModal.js';
import { mrkdwn } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { fingerprintLetter } from '../../letters.js';
import { damagedFormText, parseMetadata, rowId, warnDamaged } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { fileValue, textValue } from './values.js';

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const requestMetadata = z.object({ requestId: rowId });
const questionMetadata = z.object({ questionId: rowId });

const answerSent = (reference: string, withLetter: boolean) =>
  withLetter
    ? mrkdwn`Your answer about *${reference}* is on its way to support with the corrected letter; if the letter cannot be read, you get a DM. Your receipt shows where the request stands.`
    : mrkdwn`Support has your answer about *${reference}*; the request is back for their review. Your receipt shows where it stands.`;

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
        mrkdwn`Your request *${reference}* went to support. Quote this reference if you contact them. Your receipt comes by DM: it shows what you sent, and every step until support’s answer.`,
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
      await ctx.workflows.recovery.file({ reference, requester, workspace: workspaceOf(body), form, letter: read.letter });
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
    const result = await ctx.workflows.recovery.reject({
      requestId: meta.requestId,
      actor: body.user.id,
      workspace: workspaceOf(body),
      reason,
    });
    if (result.kind !== 'ok') return ack({ response_action: 'update', view: noticeModal('Reject', recoveryRefusalText(result.refusal)) });
    await ack();
    afterCommit(ctx);
  });

  app.view<ViewSubmitAction>(recoveryCallbackIds.ask, async ({ ack, body, view }: SubmitArgs) => {
    const meta = parseMetadata(requestMetadata, view);
    const question = textValue(view, questionId);
    if (!meta) {
      warnDamaged(ctx.logger, { user: body.user.id, id: view.callback_id, kind: 'form' }, view.private_metadata);
      return ack({ response_action: 'update', view: noticeModal('Ask for more information', damagedFormText) });
    }
    if (!question || question.length > RECOVERY_QUESTION_LIMIT) {
      return ack({
        response_action: 'errors',
        errors: { [questionId]: `Ask the requester something, up to ${RECOVERY_QUESTION_LIMIT} characters.` },
      });
    }
    const result = await ctx.workflows.recovery.ask({
      requestId: meta.requestId,
      actor: body.user.id,
      workspace: workspaceOf(body),
      question,
    });
    if (result.kind !== 'ok') {
      return ack({ response_action: 'update', view: noticeModal('Ask for more information', recoveryRefusalText(result.refusal)) });
    }
    await ack();
    afterCommit(ctx);
  });

  /**
   * The requester's answer. Without a letter it is decided before the form closes; with one, the
   * form closes first (reading the letter may take longer than Slack waits) and a problem comes by DM.
   */
  app.view<ViewSubmitAction>(recoveryCallbackIds.answer, async ({ ack, body, view, client }: SubmitArgs) => {
    const meta = parseMetadata(questionMetadata, view);
    if (!meta) {
      warnDamaged(ctx.logger, { user: body.user.id, id: view.callback_id, kind: 'form' }, view.private_metadata);
      return ack({ response_action: 'update', view: noticeModal('Answer', damagedFormText) });
    }
    const answer = textValue(view, answerId);
    const file = fileValue(view, correctedLetterId);
    const errors: Record<string, string> = {};
    if (!answer || answer.length > RECOVERY_ANSWER_LIMIT)
      errors[answerId] = `Write your answer, up to ${RECOVERY_ANSWER_LIMIT} characters.`;
    const letterProblem = file ? letterTypeProblem(file.name) : null;
    if (letterProblem) errors[correctedLetterId] = letterProblem;
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });

    const requester = body.user.id;
    const may = await ctx.workflows.recovery.mayAnswer({ questionId: meta.questionId, actor: requester, workspace: workspaceOf(body) });
    if (may.kind !== 'ok') return ack({ response_action: 'update', view: noticeModal('Answer', recoveryRefusalText(may.refusal)) });
    const { reference } = may.value.request;
    const input = { questionId: meta.questionId, actor: requester, workspace: workspaceOf(body), answer };
    if (!file) {
      const result = await ctx.workflows.recovery.answer({ ...input, letter: null });
      if (result.kind !== 'ok') return ack({ response_action: 'update', view: noticeModal('Answer', recoveryRefusalText(result.refusal)) });
      await ack({ response_action: 'update', view: noticeModal('Answer sent', answerSent(reference, false)) });
      afterCommit(ctx);
      return;
    }
    await ack({ response_action: 'update', view: noticeModal('Answer sent', answerSent(reference, true)) });
    try {
      const read = await fingerprintLetter(client, file.id, ctx.letters);
      if (!read.ok) {
        ctx.logger.warn({ reference, problem: read.problem.kind, detail: read.detail }, 'corrected letter not read; answer not sent');
        await client.chat.postMessage({ channel: requester, ...recoveryAnswerNotSent(reference, read.problem) });
        return;
      }
      const result = await ctx.workflows.recovery.answer({ ...input, letter: read.letter });
      if (result.kind !== 'ok') {
        await client.chat.postMessage({ channel: requester, ...recoveryAnswerNotSent(reference, result.refusal) });
        return;
      }
      afterCommit(ctx);
    } catch (error) {
      ctx.logger.error({ err: error, reference }, 'answer to support could not be sent');
      await client.chat.postMessage({ channel: requester, ...recoveryAnswerNotSent(reference, { kind: 'unreadable' }) });
    }
  });
}

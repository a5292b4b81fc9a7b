// files.info, and the two-step upload: files.getUploadURLExternal, then the bytes to the upload
// URL (served by http.ts), then files.completeUploadExternal, which makes the file and shares it.
// Downloads are served by the HTTP server too.

import type { Json } from '../blockKit.js';
import { fail, ok, parseMaybeJson, str, type ApiHandler } from '../args.js';
import type { MessageStore } from '../messages.js';
import type { SlackState } from '../state.js';

const MIME_TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

export function filesMethods(state: SlackState, messages: MessageStore): Record<string, ApiHandler> {
  function info(args: Json): Json {
    const file = state.fileObject(str(args, 'file') ?? '');
    return file ? ok({ file }) : fail('file_not_found');
  }

  /** Where to send the bytes of a file of `length` bytes named `filename`. */
  function getUploadURLExternal(args: Json): Json {
    const filename = str(args, 'filename');
    const length = Number(str(args, 'length'));
    if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const fileId = state.nextId('F');
    const uploadId = state.nextId('u');
    state.uploads.set(uploadId, { fileId, filename, length });
    return ok({ upload_url: `${state.baseUrl}/upload/${uploadId}`, file_id: fileId });
  }

  /** Makes the uploaded files, and shares them in `channel_id` (in the thread of `thread_ts`) with `initial_comment`. */
  function completeUploadExternal(args: Json): Json {
    const files = parseMaybeJson(args.files);
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const wanted = files.map((f) => ({ id: str(f as Json, 'id') ?? '', title: str(f as Json, 'title') }));
    const uploads = wanted.map((f) => [...state.uploads.entries()].find(([, u]) => u.fileId === f.id));
    if (uploads.some((u) => !u)) return fail('file_not_found');
    // Slack refuses a file whose bytes never arrived, or not as many as announced.
    if (uploads.some((u) => u?.[1].content?.length !== u?.[1].length)) return fail('file_upload_size_mismatch');
    const channelId = str(args, 'channel_id');
    const channel = channelId ? state.channelMap.get(channelId) : undefined;
    if (channelId && !channel) return fail('channel_not_found');
    const threadTs = str(args, 'thread_ts');
    if (channel && threadTs && !messages.message(channel.id, threadTs)) return fail('invalid_thread_ts');
    const made = uploads.map((entry) => {
      const [uploadId, upload] = entry!;
      state.uploads.delete(uploadId);
      const extension = upload.filename.split('.').pop()?.toLowerCase() ?? '';
      return state.addFile({
        id: upload.fileId,
        name: upload.filename,
        mimetype: MIME_TYPES[extension] ?? 'application/octet-stream',
        content: upload.content as Buffer,
        user: state.botUserId,
      });
    });
    if (channel) {
      const comment = str(args, 'initial_comment');
      messages.insertMessage(
        channel,
        { text: comment ?? '' },
        threadTs,
        undefined,
        made.map((f) => f.id),
      );
    }
    return ok({ files: made.map((f, i) => ({ id: f.id, title: wanted[i]?.title ?? f.name })) });
  }

  return {
    'files.info': info,
    'files.getUploadURLExternal': getUploadURLExternal,
    'files.completeUploadExternal': completeUploadExternal,
  };
}

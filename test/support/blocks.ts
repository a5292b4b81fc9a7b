import { blocksText } from '../../src/sandbox/slack/index.js';

/** All the visible text of a message, ephemeral or view. */
export const text = (m: { blocks?: unknown[] } | undefined): string => (m?.blocks ? blocksText(m.blocks as never) : '');

/** The labels of the buttons a person can click in it, in order. */
export const buttonsOf = (m: { blocks?: unknown[] } | undefined): string[] =>
  (m?.blocks ?? []).flatMap((b) =>
    (b as { type: string }).type === 'actions'
      ? (b as { elements: Array<{ text: { text: string } }> }).elements.map((e) => e.text.text)
      : [],
  );

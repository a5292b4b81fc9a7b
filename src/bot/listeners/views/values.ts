import type { ViewOutput } from '@slack/bolt';

type StateValue = ViewOutput['state']['values'][string][string];

/** Reads an input whose block and action share one id (as every Vouch modal does). */
function field(view: ViewOutput, id: string): StateValue | undefined {
  return view.state.values[id]?.[id];
}

export function textValue(view: ViewOutput, id: string): string {
  return (field(view, id)?.value ?? '').trim();
}

export function userValue(view: ViewOutput, id: string): string | null {
  return field(view, id)?.selected_user ?? null;
}

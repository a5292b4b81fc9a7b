import { z } from 'zod';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { homeActionIds, homeLists, type HomePageValue } from '../../blocks/home.js';
import type { VouchContext } from '../../context.js';
import { publishHome } from '../../delivery.js';
import { parseJsonButtonValue, refuseDamagedButton } from '../payload.js';
import { workspaceOf } from '../actor.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const homePage = z.object({ list: z.enum(homeLists), offset: z.int().min(0).max(1_000_000) }) satisfies z.ZodType<HomePageValue>;

/** "Next" and "Previous" under a long list of the Home tab: the clicker's own Home, drawn afresh at that page. */
export function register(app: App, ctx: VouchContext): void {
  for (const actionId of Object.values(homeActionIds)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }: ButtonArgs) => {
      await ack();
      const page = parseJsonButtonValue(homePage, action.value);
      if (!page) return refuseDamagedButton(client, ctx.logger, body, actionId, action.value);
      // Distributed, the clicker's own workspace's Home (one workspace: the only one).
      const teamId = ctx.workspaces ? workspaceOf(body).teamId : null;
      await publishHome(body.user.id, ctx.outbox.deliveryDeps, { [page.list]: page.offset }, teamId);
    });
  }
}

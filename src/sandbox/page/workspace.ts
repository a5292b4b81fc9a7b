// The made-up workspaces the sandbox starts with: the provider's (its support team and the private
// support channel) and two customers' (Acme Corp and Globex), each with a person for every role of
// both workflows. Vouch is distributed across them, as a provider serving its customers would run
// it. Ids are fixed so a page reload keeps who you are; a person is a (workspace, user) pair.

import type { FakeSlack, FakeWorkspace } from '../slack/index.js';

export interface SandboxPerson {
  id: string;
  /** The workspace this person is in. */
  teamId: string;
  name: string;
  realName: string;
  email: string;
  /** What this person is for in the workflows, shown in the person switcher. */
  role: string;
}

export interface SandboxWorkspace {
  teamId: string;
  name: string;
  domain: string;
  /** The provider's workspace has the support channel; a customer's has its Enterprise Accounts. */
  kind: 'provider' | 'customer';
  /** Who installs Vouch into it when the sandbox starts. */
  installer: string;
}

export const supportChannel = { id: 'C0SUPPORT', name: 'enterprise-support' } as const;

export const sandboxWorkspaces = {
  provider: { teamId: 'T0PROVIDER', name: 'Provider Inc', domain: 'provider', kind: 'provider', installer: 'U0SAM' },
  acme: { teamId: 'T0ACME', name: 'Acme Corp', domain: 'acme', kind: 'customer', installer: 'U0PAT' },
  globex: { teamId: 'T0GLOBEX', name: 'Globex', domain: 'globex', kind: 'customer', installer: 'U0GRETA' },
} as const satisfies Record<string, SandboxWorkspace>;

/** The provider's first, then the customers'. */
export const workspaceList: readonly SandboxWorkspace[] = Object.values(sandboxWorkspaces);

const { provider, acme, globex } = sandboxWorkspaces;

export const sandboxPeople = {
  supportA: {
    id: 'U0SAM',
    teamId: provider.teamId,
    name: 'sam',
    realName: 'Sam Support',
    email: 'sam@provider.example',
    role: 'support engineer',
  },
  supportB: {
    id: 'U0SKY',
    teamId: provider.teamId,
    name: 'sky',
    realName: 'Sky Support',
    email: 'sky@provider.example',
    role: 'support engineer',
  },
  primary: {
    id: 'U0PAT',
    teamId: acme.teamId,
    name: 'pat',
    realName: 'Pat Primary',
    email: 'pat@acme.example',
    role: 'primary contact of a new account',
  },
  colleague: {
    id: 'U0COLE',
    teamId: acme.teamId,
    name: 'cole',
    realName: 'Cole League',
    email: 'cole@acme.example',
    role: 'colleague to invite',
  },
  requester: {
    id: 'U0RILEY',
    teamId: acme.teamId,
    name: 'riley',
    realName: 'Riley Requester',
    email: 'riley@acme.example',
    role: 'asks for admin access',
  },
  officer: {
    id: 'U0OLIVIA',
    teamId: acme.teamId,
    name: 'olivia',
    realName: 'Olivia Officer',
    email: 'olivia@acme.example',
    role: 'C-level officer who signs the letter',
  },
  globexPrimary: {
    id: 'U0GRETA',
    teamId: globex.teamId,
    name: 'greta',
    realName: 'Greta Grant',
    email: 'greta@globex.example',
    role: 'primary contact of a new account',
  },
  globexColleague: {
    id: 'U0HUGO',
    teamId: globex.teamId,
    name: 'hugo',
    realName: 'Hugo Hale',
    email: 'hugo@globex.example',
    role: 'colleague to invite',
  },
  globexRequester: {
    id: 'U0IVY',
    teamId: globex.teamId,
    name: 'ivy',
    realName: 'Ivy Ingram',
    email: 'ivy@globex.example',
    role: 'asks for admin access',
  },
} as const satisfies Record<string, SandboxPerson>;

export const everyone: readonly SandboxPerson[] = Object.values(sandboxPeople);

export const peopleOf = (teamId: string): SandboxPerson[] => everyone.filter((p) => p.teamId === teamId);

export function workspaceOf(teamId: string): SandboxWorkspace | undefined {
  return workspaceList.find((w) => w.teamId === teamId);
}

/**
 * The provider's workspace is the stand-in's first (made with `sandboxWorkspaces.provider`'s team);
 * the customers' are added beside it. Returns each by team id.
 */
export function seedWorkspaces(slack: FakeSlack): Map<string, FakeWorkspace> {
  const teams = new Map<string, FakeWorkspace>([[slack.teamId, slack]]);
  for (const w of workspaceList) {
    if (w.teamId !== slack.teamId) teams.set(w.teamId, slack.addTeam({ teamId: w.teamId, teamName: w.name, teamDomain: w.domain }));
  }
  for (const person of everyone) {
    const { teamId, role: _role, ...user } = person;
    teams.get(teamId)!.addUser(user);
  }
  // Private, as Vouch requires of a support channel; in the provider's workspace only.
  slack.addChannel({ ...supportChannel, isPrivate: true, members: [sandboxPeople.supportA.id, sandboxPeople.supportB.id] });
  return teams;
}

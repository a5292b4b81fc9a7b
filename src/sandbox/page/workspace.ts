// The made-up workspace the sandbox starts with: one person for every role of both workflows,
// and the support channel. Ids are fixed so a page reload keeps who you are.

import type { FakeSlack } from '../slack/index.js';

export interface SandboxPerson {
  id: string;
  name: string;
  realName: string;
  email: string;
  /** What this person is for in the workflows, shown in the person switcher. */
  role: string;
}

export const supportChannel = { id: 'C0SUPPORT', name: 'enterprise-support' } as const;

export const sandboxPeople = {
  primary: { id: 'U0PAT', name: 'pat', realName: 'Pat Primary', email: 'pat@acme.example', role: 'primary contact of a new account' },
  colleague: { id: 'U0COLE', name: 'cole', realName: 'Cole League', email: 'cole@acme.example', role: 'colleague to invite' },
  supportA: { id: 'U0SAM', name: 'sam', realName: 'Sam Support', email: 'sam@provider.example', role: 'support engineer' },
  supportB: { id: 'U0SKY', name: 'sky', realName: 'Sky Support', email: 'sky@provider.example', role: 'support engineer' },
  requester: { id: 'U0RILEY', name: 'riley', realName: 'Riley Requester', email: 'riley@acme.example', role: 'asks for admin access' },
  officer: {
    id: 'U0OLIVIA',
    name: 'olivia',
    realName: 'Olivia Officer',
    email: 'olivia@acme.example',
    role: 'C-level officer who signs the letter',
  },
} as const satisfies Record<string, SandboxPerson>;

export const everyone: readonly SandboxPerson[] = Object.values(sandboxPeople);

export function seedWorkspace(slack: FakeSlack): void {
  for (const person of everyone) slack.addUser(person);
  // Private, as Vouch requires of a support channel.
  slack.addChannel({ ...supportChannel, isPrivate: true, members: [sandboxPeople.supportA.id, sandboxPeople.supportB.id] });
}

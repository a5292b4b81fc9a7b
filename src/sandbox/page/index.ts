// The browser sandbox's public API: start it, and the workspace it seeds.

export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { sandboxPeople, supportChannel, type SandboxPerson } from './workspace.js';

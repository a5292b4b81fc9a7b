// The browser sandbox's public API: start it, and the workspaces it seeds.

export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { SandboxInstallError } from './install.js';
export { sandboxPeople, sandboxWorkspaces, supportChannel, workspaceList, type SandboxPerson, type SandboxWorkspace } from './workspace.js';

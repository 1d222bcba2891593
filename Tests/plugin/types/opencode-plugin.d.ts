// The part of @opencode-ai/plugin's types the plugin uses, so the tests can type-check it without
// the npm package (the plugin imports it for types only).
declare module "@opencode-ai/plugin" {
  export type PluginInput = {
    client: any
    project: any
    directory: string
    worktree: string
    $: any
  }
  export interface ToolDefinition {
    description: string
    args: Record<string, unknown>
    execute(args: any, context: any): Promise<string | { title: string; output: string; metadata: any }>
  }
  export interface Hooks {
    event?: (input: { event: { type: string; properties: any } }) => Promise<void>
    tool?: { [key: string]: ToolDefinition }
  }
  export type Plugin = (input: PluginInput) => Promise<Hooks>
}

// OpenCode plugin: records each session in Graphiti memory when it goes idle, and adds a
// memory_search tool. Everything goes through graphiti/memory.py (GRAPHITI_HELPER); any failure
// there is logged and retried, never raised into OpenCode.
import type { Plugin } from "@opencode-ai/plugin"
import { MemoryRecorder, type Log } from "./graphiti-memory/core.js"
import { commandLine, commandRunner, fileStore, stateFile } from "./graphiti-memory/node.js"
import { logOpenCodeVersion } from "./graphiti-memory/version.js"

const SERVICE = "graphiti-memory"

// Not exported by name: OpenCode's older loader would run every export as a plugin.
const GraphitiMemory: Plugin = async ({ client, directory }) => {
  const env = process.env as Record<string, string | undefined>
  const log: Log = (level, message, extra) => {
    // OpenCode's own log when available; stderr otherwise. Neither may throw into the session.
    Promise.resolve()
      .then(() => (client as any).app.log({ body: { service: SERVICE, level, message, extra } }))
      .catch(() => console.error(`[${SERVICE}] ${level}: ${message}`, extra ?? ""))
  }
  // In the background: start-up never waits on the server answering.
  void logOpenCodeVersion(client, log)
  if (env.GRAPHITI_MEMORY_DISABLED === "true") {
    log("info", "memory: disabled by GRAPHITI_MEMORY_DISABLED")
    return {}
  }
  const state = stateFile(env, directory)
  const recorder = new MemoryRecorder({
    run: commandRunner(commandLine(env), env),
    store: fileStore(state.path, state.legacy),
    log,
    directory,
    ...numberFrom(env, "GRAPHITI_RETRY_BASE_MS", "retryBaseMs"),
    ...numberFrom(env, "GRAPHITI_ADD_TIMEOUT_MS", "addTimeoutMs"),
    ...numberFrom(env, "GRAPHITI_SEARCH_TIMEOUT_MS", "searchTimeoutMs"),
  })
  // Episodes left queued by a previous run are sent as soon as memory answers again.
  void recorder.flush()

  return {
    event: async ({ event }) => {
      await recorder.handleEvent(event)
    },
    tool: {
      memory_search: {
        description:
          "Search the long-term memory (a Graphiti knowledge graph of earlier OpenCode sessions) " +
          "for facts, entities and past conversations relevant to a query.",
        // Plain JSON Schema: OpenCode accepts it for plugin tools, so no runtime dependency.
        args: {
          query: { type: "string", description: "What to look for, in a few words" },
        } as any,
        async execute(args: any) {
          return recorder.search(String(args?.query ?? ""), Number(env.GRAPHITI_SEARCH_LIMIT) || 8)
        },
      },
    },
  }
}

function numberFrom(env: Record<string, string | undefined>, name: string, key: string) {
  const value = Number(env[name])
  return Number.isFinite(value) && value > 0 ? { [key]: value } : {}
}

// OpenCode's plugin module shape: a default export with an id and the server function.
export default { id: SERVICE, server: GraphitiMemory }

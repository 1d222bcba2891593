// Loads the compiled OpenCode plugin (argv[2]) as OpenCode would, feeds it one session's events,
// waits until its queue is empty (or, with DRIVE_UNTIL=attempted, tried once) or a deadline passes, then calls memory_search (argv[3]).
// Prints {"search": ..., "logs": [...], "state": {...}} as JSON.
import { readFileSync } from "node:fs"
import { join } from "node:path"

const [build, query] = process.argv.slice(2)
const logs = []
const client = { app: { log: async ({ body }) => void logs.push(body) } }
const plugin = (await import(join(build, "plugin/graphiti-memory.js"))).default
const hooks = await plugin.server({ client, directory: "/srv/app", worktree: "/srv/app", project: {}, $: null })

const s = "ses_integration"
const say = (id, role, text, created) => [
  { type: "message.updated", properties: { info: { id, sessionID: s, role, time: { created } } } },
  { type: "message.part.updated", properties: { part: { id: id + "p", sessionID: s, messageID: id, type: "text", text } } },
]
for (const event of [
  { type: "session.updated", properties: { info: { id: s, title: "Cache outage" } } },
  ...say("m1", "user", "Why did Hollowbrook stop answering?", Date.parse("2026-05-01T09:00:00Z")),
  ...say("m2", "assistant", "Hollowbrook lost its Tansyvale cache after the restart.", Date.parse("2026-05-01T09:01:00Z")),
  { type: "session.idle", properties: { sessionID: s } },
]) {
  await hooks.event({ event })
}

const { stateFile } = await import(join(build, "plugin/graphiti-memory/node.js"))
const statePath = stateFile(process.env, "/srv/app").path
const deadline = Date.now() + Number(process.env.DRIVE_WAIT_MS || 60000)
let state
while (Date.now() < deadline) {
  try {
    state = JSON.parse(readFileSync(statePath, "utf8"))
    if (state.pending.length === 0) break
    // DRIVE_UNTIL=attempted: one real (failed) attempt is enough to report.
    if (process.env.DRIVE_UNTIL === "attempted" && state.pending[0].attempts > 0) break
  } catch {}
  await new Promise((r) => setTimeout(r, 100))
}
const search = await hooks.tool.memory_search.execute({ query }, { sessionID: "x" })
console.log(JSON.stringify({ search, logs, state }))

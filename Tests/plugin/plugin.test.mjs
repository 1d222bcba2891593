// The plugin as OpenCode loads it (graphiti-memory.ts, compiled by run.sh), with real child
// processes: fake-memory.mjs stands in for graphiti/memory.py behind GRAPHITI_HELPER.
import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, dirname } from "node:path"
import { fileURLToPath } from "node:url"

const build = process.env.PLUGIN_BUILD
const node = await import(join(build, "plugin/graphiti-memory/node.js"))
const here = dirname(fileURLToPath(import.meta.url))
const fake = [process.execPath, join(here, "fake-memory.mjs")]

function fakeDir(mode = "ok") {
  const dir = mkdtempSync(join(tmpdir(), "graphiti-plugin-test-"))
  writeFileSync(join(dir, "mode"), mode)
  return dir
}
const calls = (dir) =>
  existsSync(join(dir, "calls"))
    ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n").map((l) => JSON.parse(l))
    : []
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await fn()) return
    await sleep(25)
  }
  assert.fail(`timed out waiting for ${what}`)
}

test("the command line comes from GRAPHITI_HELPER, defaulting to the image's path", () => {
  assert.deepEqual(node.commandLine({}), ["/opt/venv/bin/python", "/app/graphiti/memory.py"])
  assert.deepEqual(node.commandLine({ GRAPHITI_HELPER: "  ddtrace-run  /opt/venv/bin/python /x.py " }), [
    "ddtrace-run",
    "/opt/venv/bin/python",
    "/x.py",
  ])
  assert.equal(node.statePath({ GRAPHITI_MEMORY_STATE: "/s.json" }), "/s.json")
  assert.equal(node.statePath({ XDG_DATA_HOME: "/d" }), "/d/opencode/graphiti-memory.json")
})

test("the runner passes arguments and stdin and parses the JSON answer and exit code", async () => {
  const dir = fakeDir()
  const run = node.commandRunner(fake, { ...process.env, FAKE_DIR: dir })
  const ok = await run(["add-episode", "--json"], JSON.stringify({ name: "n", body: "the body" }), 10000)
  assert.equal(ok.code, 0)
  assert.equal(ok.json.ok, true)
  assert.deepEqual(calls(dir)[0], { args: ["add-episode", "--json"], stdin: '{"name":"n","body":"the body"}' })

  writeFileSync(join(dir, "mode"), "down")
  const down = await run(["status"], undefined, 10000)
  assert.equal(down.code, 4)
  assert.equal(down.json.error.code, "falkordb_unreachable")

  writeFileSync(join(dir, "mode"), "garbage")
  const garbage = await run(["status"], undefined, 10000)
  assert.equal(garbage.code, 1)
  assert.equal(garbage.json, undefined)
  assert.match(garbage.stderr, /Boom: exploded/)
})

test("the runner reports a missing command and a hung one without throwing", async () => {
  const missing = await node.commandRunner(["/nonexistent/python", "x.py"], process.env)(["status"])
  assert.equal(missing.code, -1)
  assert.match(missing.error, /cannot run \/nonexistent\/python/)

  const dir = fakeDir("hang")
  const started = Date.now()
  const hung = await node.commandRunner(fake, { ...process.env, FAKE_DIR: dir })(["status"], undefined, 300)
  assert.equal(hung.code, -1)
  assert.match(hung.error, /timed out after 300 ms/)
  assert.ok(Date.now() - started < 5000)
})

test("the state file is written atomically and read back", async () => {
  const dir = fakeDir()
  const path = join(dir, "nested", "state.json")
  const store = node.fileStore(path)
  assert.equal(await store.load(), undefined)
  const state = { version: 1, sessions: { s: { recorded: ["m1"], parts: 1 } }, pending: [] }
  await store.save(state)
  assert.deepEqual(await store.load(), state)
  writeFileSync(path, "{broken")
  await assert.rejects(store.load(), new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
})

async function loadPlugin(dir, env, client) {
  Object.assign(process.env, {
    GRAPHITI_HELPER: fake.join(" "),
    GRAPHITI_MEMORY_STATE: join(dir, "state.json"),
    FAKE_DIR: dir,
    GRAPHITI_RETRY_BASE_MS: "100",
    ...env,
  })
  const mod = await import(join(build, "plugin/graphiti-memory.js"))
  assert.deepEqual(Object.keys(mod), ["default"], "only the default export: OpenCode runs every export")
  assert.equal(mod.default.id, "graphiti-memory")
  return mod.default.server({ client, directory: "/srv/project", worktree: "/srv/project", project: {}, $: null })
}

function fakeClient({ failLog = false } = {}) {
  const logged = []
  return {
    logged,
    app: {
      log: async ({ body }) => {
        if (failLog) throw new Error("server gone")
        logged.push(body)
      },
    },
  }
}

const events = (sessionID, id, role, body, created) => [
  { type: "message.updated", properties: { info: { id, sessionID, role, time: { created } } } },
  { type: "message.part.updated", properties: { part: { id: `${id}p`, sessionID, messageID: id, type: "text", text: body } } },
]

test("end to end: an idle session becomes an episode, and memory_search finds it", async () => {
  const dir = fakeDir()
  const client = fakeClient()
  const hooks = await loadPlugin(dir, {}, client)
  assert.equal(typeof hooks.event, "function")
  assert.equal(hooks.tool.memory_search.args.query.type, "string")

  for (const e of [
    ...events("ses_9", "m1", "user", "How do we back up the Valkey store?", 1),
    ...events("ses_9", "m2", "assistant", "Use redis-cli --rdb and upload with rclone.", 2),
    { type: "session.idle", properties: { sessionID: "ses_9" } },
  ]) {
    await hooks.event({ event: e })
  }
  await until("the episode", () => calls(dir).some((c) => c.args[0] === "add-episode"))
  const add = calls(dir).find((c) => c.args[0] === "add-episode")
  const sent = JSON.parse(add.stdin)
  assert.equal(sent.body, "user: How do we back up the Valkey store?\nassistant: Use redis-cli --rdb and upload with rclone.")
  assert.equal(sent.source_description, "OpenCode session ses_9 in /srv/project")
  await until("the state file", () => {
    try {
      return JSON.parse(readFileSync(join(dir, "state.json"), "utf8")).pending.length === 0
    } catch {
      return false
    }
  })

  const out = await hooks.tool.memory_search.execute({ query: "rclone" }, { sessionID: "x" })
  assert.match(out, /Episodes:\n- OpenCode session ses_9 part 1/)
  assert.match(out, /upload with rclone/)
  await until("a log line", () => client.logged.some((l) => l.message === "memory: episode recorded"))
  assert.equal(client.logged.find((l) => l.message === "memory: episode recorded").service, "graphiti-memory")
})

test("end to end: memory down never breaks the session, and the episode lands once it is back", async () => {
  const dir = fakeDir("down")
  const client = fakeClient({ failLog: true }) // even OpenCode's log endpoint failing is contained
  const hooks = await loadPlugin(dir, {}, client)
  for (const e of [
    ...events("ses_7", "m1", "user", "Remember the pod name opsbox.", 1),
    { type: "session.idle", properties: { sessionID: "ses_7" } },
  ]) {
    await hooks.event({ event: e }) // resolves although every call fails
  }
  const out = await hooks.tool.memory_search.execute({ query: "opsbox" }, {})
  assert.match(out, /^Memory search is unavailable right now \(falkordb_unreachable/)
  await until("a failed attempt", () => calls(dir).filter((c) => c.args[0] === "add-episode").length >= 1)

  writeFileSync(join(dir, "mode"), "ok")
  // The retry timer (GRAPHITI_RETRY_BASE_MS=100) sends it without any new event.
  await until("the episode after recovery", () => existsSync(join(dir, "db.json")))
  const db = JSON.parse(readFileSync(join(dir, "db.json"), "utf8"))
  assert.equal(db.length, 1)
  assert.equal(db[0].body, "user: Remember the pod name opsbox.")
})

test("GRAPHITI_MEMORY_DISABLED=true turns the plugin into a no-op", async () => {
  const dir = fakeDir()
  const hooks = await loadPlugin(dir, { GRAPHITI_MEMORY_DISABLED: "true" }, fakeClient())
  assert.deepEqual(hooks, {})
  delete process.env.GRAPHITI_MEMORY_DISABLED
})

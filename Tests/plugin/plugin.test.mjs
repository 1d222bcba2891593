// The plugin as OpenCode loads it (graphiti-memory.ts, compiled by run.sh), with real child
// processes: fake-memory.mjs stands in for graphiti/memory.py behind GRAPHITI_HELPER.
import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs"
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
})

test("each served folder has its own state file; the old single file is where it was", () => {
  const a = node.stateFile({ XDG_DATA_HOME: "/d" }, "/srv/a")
  const b = node.stateFile({ XDG_DATA_HOME: "/d" }, "/srv/b")
  assert.match(a.path, /^\/d\/opencode\/graphiti-memory\/[0-9a-f]{24}\.json$/)
  assert.notEqual(a.path, b.path)
  assert.equal(node.stateFile({ XDG_DATA_HOME: "/d" }, "/srv/a").path, a.path, "stable across restarts")
  assert.equal(a.legacy, "/d/opencode/graphiti-memory.json")
  const custom = node.stateFile({ GRAPHITI_MEMORY_STATE_DIR: "/s", GRAPHITI_MEMORY_STATE: "/old.json" }, "/srv/a")
  assert.equal(custom.path, a.path.replace("/d/opencode/graphiti-memory", "/s"))
  assert.equal(custom.legacy, "/old.json")
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

test("the state file is written atomically and read back, 0600 in a 0700 folder", async () => {
  const dir = fakeDir()
  const path = join(dir, "nested", "state.json")
  const store = node.fileStore(path)
  assert.equal(await store.load(), undefined)
  const state = { version: 1, sessions: { s: { recorded: ["m1"], parts: 1 } }, pending: [] }
  await store.save(state)
  assert.deepEqual(await store.load(), state)
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.equal(statSync(join(dir, "nested")).mode & 0o777, 0o700)
  writeFileSync(path, "{broken")
  await assert.rejects(store.load(), new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
})

test("concurrent saves to one file never share a temporary file", async () => {
  const dir = fakeDir()
  const path = join(dir, "state.json")
  // Two stores on one path, as two plugin instances in one process would have had.
  const stores = [node.fileStore(path), node.fileStore(path)]
  const state = (n) => ({ version: 1, sessions: {}, pending: [], n })
  const saves = []
  for (let i = 0; i < 40; i++) for (const [k, store] of stores.entries()) saves.push(store.save(state(i * 2 + k)))
  const results = await Promise.allSettled(saves)
  assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String(r.reason)), [])
  const final = JSON.parse(readFileSync(path, "utf8"))
  assert.ok(final.n >= 78, `one of the last saves wins, got ${final.n}`)
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temporary file left")
})

test("the old single state file is adopted by exactly one folder's store", async () => {
  const dir = fakeDir()
  const legacy = join(dir, "graphiti-memory.json")
  const old = { version: 1, sessions: {}, pending: [{ key: "k", name: "queued before the upgrade" }] }
  writeFileSync(legacy, JSON.stringify(old))
  const a = node.fileStore(join(dir, "state", "a.json"), legacy)
  const b = node.fileStore(join(dir, "state", "b.json"), legacy)
  const [la, lb] = await Promise.all([a.load(), b.load()])
  assert.deepEqual([la, lb].filter(Boolean), [old], "one adopts the queue, the other starts empty")
  assert.ok(!existsSync(legacy))
  assert.deepEqual(await (la ? a : b).load(), old, "and keeps it across restarts")
})

async function loadPlugin(dir, env, client, directory = "/srv/project") {
  Object.assign(process.env, {
    GRAPHITI_HELPER: fake.join(" "),
    GRAPHITI_MEMORY_STATE_DIR: join(dir, "state"),
    GRAPHITI_MEMORY_STATE: join(dir, "legacy.json"),
    FAKE_DIR: dir,
    GRAPHITI_RETRY_BASE_MS: "100",
    ...env,
  })
  const mod = await import(join(build, "plugin/graphiti-memory.js"))
  assert.deepEqual(Object.keys(mod), ["default"], "only the default export: OpenCode runs every export")
  assert.equal(mod.default.id, "graphiti-memory")
  return mod.default.server({ client, directory, worktree: directory, project: {}, $: null })
}
const stateOf = (dir, directory = "/srv/project") =>
  node.stateFile({ GRAPHITI_MEMORY_STATE_DIR: join(dir, "state") }, directory).path

/** OpenCode's SDK client as the plugin uses it: app.log, and global.health on servers that have it. */
function fakeClient({ failLog = false, version = "1.18.33" } = {}) {
  const logged = []
  return {
    logged,
    app: {
      log: async ({ body }) => {
        if (failLog) throw new Error("server gone")
        logged.push(body)
      },
    },
    ...(version === null ? {} : { global: { health: async () => ({ data: { healthy: true, version } }) } }),
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
      return JSON.parse(readFileSync(stateOf(dir), "utf8")).pending.length === 0
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

test("memory_search passes a query that starts with a dash as the query, not an option", async () => {
  const dir = fakeDir()
  const hooks = await loadPlugin(dir, {}, fakeClient())
  for (const e of [
    ...events("ses_d", "m1", "user", "The flag --limit-bytes caps uploads.", 1),
    { type: "session.idle", properties: { sessionID: "ses_d" } },
  ]) {
    await hooks.event({ event: e })
  }
  await until("the episode", () => existsSync(join(dir, "db.json")))
  const out = await hooks.tool.memory_search.execute({ query: "--limit-bytes" }, {})
  assert.match(out, /Episodes:\n- OpenCode session ses_d part 1/)
  const search = calls(dir).find((c) => c.args[0] === "search")
  assert.deepEqual(search.args, ["search", "--limit", "8", "--", "--limit-bytes"])
})

test("at start-up the plugin logs the OpenCode version, and warns outside the checked range", async () => {
  const versionLine = (client) => client.logged.find((l) => /OpenCode/.test(l.message))
  const inRange = fakeClient({ version: "1.18.33" })
  await loadPlugin(fakeDir(), {}, inRange)
  await until("the version line", () => versionLine(inRange))
  assert.equal(versionLine(inRange).level, "info")
  assert.equal(versionLine(inRange).message, "memory: running on OpenCode 1.18.33")
  assert.equal(versionLine(inRange).service, "graphiti-memory")

  const crashing = fakeClient({ version: "1.14.29" })
  await loadPlugin(fakeDir(), {}, crashing)
  await until("the version line", () => versionLine(crashing))
  assert.equal(versionLine(crashing).level, "warn")
  assert.match(versionLine(crashing).message, /OpenCode 1\.14\.29, outside the checked range 1\.14\.30 to 1\.18\.x/)

  const silent = fakeClient({ version: null }) // a server without /global/health
  await loadPlugin(fakeDir(), {}, silent)
  await until("the version line", () => versionLine(silent))
  assert.equal(versionLine(silent).level, "warn")
  assert.match(versionLine(silent).message, /did not report its version/)
})

test("two folders served by one process keep separate state and each episode is sent once", async () => {
  const dir = fakeDir("down")
  // Memory is down: both instances queue their episodes and save at the same moments.
  const a = await loadPlugin(dir, { GRAPHITI_RETRY_BASE_MS: "600000" }, fakeClient(), "/srv/a")
  const b = await loadPlugin(dir, { GRAPHITI_RETRY_BASE_MS: "600000" }, fakeClient(), "/srv/b")
  const feed = async (hooks, prefix, n) => {
    for (let i = 0; i < n; i++) {
      for (const e of [...events(`${prefix}${i}`, "m1", "user", `note ${prefix}${i}`, 1), { type: "session.idle", properties: { sessionID: `${prefix}${i}` } }]) {
        await hooks.event({ event: e })
      }
    }
  }
  await Promise.all([feed(a, "a", 10), feed(b, "b", 10)])
  const queued = (directory) => {
    try {
      const s = JSON.parse(readFileSync(stateOf(dir, directory), "utf8"))
      return s.pending.filter((e) => e.attempts === 1).map((e) => e.body)
    } catch {
      return []
    }
  }
  await until("every episode tried once and saved", () => queued("/srv/a").length === 10 && queued("/srv/b").length === 10)
  assert.ok(queued("/srv/a").every((body) => body.startsWith("user: note a")))
  assert.ok(queued("/srv/b").every((body) => body.startsWith("user: note b")))

  // A restart with memory back: the new instances send what the files hold.
  writeFileSync(join(dir, "mode"), "ok")
  const before = calls(dir).length
  for (const f of ["/srv/a", "/srv/b"]) {
    const s = JSON.parse(readFileSync(stateOf(dir, f), "utf8"))
    for (const e of s.pending) e.next_attempt_at = 0 // due now, not in ten minutes
    writeFileSync(stateOf(dir, f), JSON.stringify(s))
  }
  await loadPlugin(dir, { GRAPHITI_RETRY_BASE_MS: "100" }, fakeClient(), "/srv/a")
  await loadPlugin(dir, { GRAPHITI_RETRY_BASE_MS: "100" }, fakeClient(), "/srv/b")
  await until("both queues sent", () => queued("/srv/a").length + queued("/srv/b").length === 0 &&
    JSON.parse(readFileSync(stateOf(dir, "/srv/a"), "utf8")).pending.length === 0 &&
    JSON.parse(readFileSync(stateOf(dir, "/srv/b"), "utf8")).pending.length === 0)
  const sent = calls(dir).slice(before).filter((c) => c.args[0] === "add-episode").map((c) => JSON.parse(c.stdin).body)
  const expected = [...Array(10).keys()].flatMap((i) => [`user: note a${i}`, `user: note b${i}`])
  assert.deepEqual([...sent].sort(), [...expected].sort(), "nothing lost, nothing sent twice")
})

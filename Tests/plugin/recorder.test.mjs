// The plugin's logic (graphiti-memory/core.ts, compiled by run.sh): episode building,
// deduplication, the retry queue and error isolation, driven by OpenCode-shaped events.
import { test } from "node:test"
import assert from "node:assert/strict"
import { join } from "node:path"

const { MemoryRecorder, formatSearch, idleSessionID } = await import(
  join(process.env.PLUGIN_BUILD, "plugin/graphiti-memory/core.js")
)

// ---- test tools --------------------------------------------------------------------------------

function clock(start = Date.parse("2026-03-01T10:00:00Z")) {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms) }
}

/** A fake Graphiti command: records calls, answers per `behaviour`. */
function fakeRun(behaviour = () => ({ code: 0, json: { ok: true, duplicate: false } })) {
  const calls = []
  const run = async (args, stdin, timeoutMs) => {
    calls.push({ args, stdin: stdin === undefined ? undefined : JSON.parse(stdin), timeoutMs })
    return behaviour(args, calls.length)
  }
  return { run, calls }
}

function memoryStore() {
  let saved
  return {
    load: async () => (saved === undefined ? undefined : JSON.parse(saved)),
    save: async (s) => void (saved = JSON.stringify(s)),
    get raw() {
      return saved
    },
  }
}

function recorder(extra = {}) {
  const logs = []
  const c = extra.clock ?? clock()
  const timers = []
  const rec = new MemoryRecorder({
    run: extra.run ?? fakeRun().run,
    log: (level, message, data) => logs.push({ level, message, data }),
    now: c.now,
    schedule: (ms, fn) => timers.push({ ms, fn }),
    directory: "/srv/project",
    ...extra,
  })
  return { rec, logs, clock: c, timers }
}

const msg = (sessionID, id, role, created) => ({
  type: "message.updated",
  properties: { info: { id, sessionID, role, time: { created } } },
})
const text = (sessionID, messageID, id, body, extra = {}) => ({
  type: "message.part.updated",
  properties: { part: { id, sessionID, messageID, type: "text", text: body, ...extra } },
})
const delta = (sessionID, messageID, partID, d) => ({
  type: "message.part.delta",
  properties: { sessionID, messageID, partID, field: "text", delta: d },
})
const idle = (sessionID) => ({ type: "session.idle", properties: { sessionID } })

async function say(rec, sessionID, id, role, body, created) {
  await rec.handleEvent(msg(sessionID, id, role, created))
  await rec.handleEvent(text(sessionID, id, `${id}-p1`, body))
}

// ---- tests -----------------------------------------------------------------------------------

test("one idle gives one episode with the exchange in order", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  await rec.handleEvent({ type: "session.updated", properties: { info: { id: "ses_1", title: "Fix the build" } } })
  await say(rec, "ses_1", "msg_b", "assistant", "Use runc instead of crun.", 2000)
  await say(rec, "ses_1", "msg_a", "user", "Why does podman fail?", 1000)
  await rec.handleEvent(idle("ses_1"))
  await rec.flush()

  assert.equal(f.calls.length, 1)
  assert.deepEqual(f.calls[0].args, ["add-episode", "--json"])
  const ep = f.calls[0].stdin
  assert.equal(ep.body, "user: Why does podman fail?\nassistant: Use runc instead of crun.")
  assert.equal(ep.name, 'OpenCode session ses_1 "Fix the build" part 1')
  assert.equal(ep.source_description, "OpenCode session ses_1 in /srv/project")
  assert.equal(ep.reference_time, new Date(1000).toISOString())
  assert.equal(rec.pending().length, 0)
})

test("no duplicates: repeated idles record only what is new", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  await say(rec, "s", "m1", "user", "first question", 1)
  await rec.handleEvent(idle("s"))
  // OpenCode may announce the same idle twice (session.status and session.idle).
  await rec.handleEvent({ type: "session.status", properties: { sessionID: "s", status: { type: "idle" } } })
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls.length, 1)

  await say(rec, "s", "m2", "assistant", "first answer", 2)
  await rec.handleEvent({ type: "session.status", properties: { sessionID: "s", status: { type: "busy" } } })
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls.length, 2)
  assert.equal(f.calls[1].stdin.body, "assistant: first answer")
  assert.match(f.calls[1].stdin.name, /part 2$/)
})

test("streamed text: snapshots replace deltas; synthetic, empty and removed messages are left out", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  await rec.handleEvent(msg("s", "m1", "assistant", 5))
  for (const d of ["Hel", "lo wor"]) {
    await rec.handleEvent(delta("s", "m1", "p1", d))
  }
  await rec.handleEvent(text("s", "m1", "p2", "second part"))
  await rec.handleEvent(text("s", "m1", "p3", "<system reminder>", { synthetic: true }))
  await rec.handleEvent(msg("s", "m2", "user", 6))
  await rec.handleEvent(text("s", "m2", "p1", "   "))
  await say(rec, "s", "m3", "user", "to be removed", 7)
  await rec.handleEvent({ type: "message.removed", properties: { sessionID: "s", messageID: "m3" } })
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls[0].stdin.body, "assistant: Hello wor\nsecond part")

  // The final snapshot of a streamed part wins over the deltas.
  const g = fakeRun()
  const r2 = recorder({ run: g.run }).rec
  await r2.handleEvent(msg("s", "m1", "assistant", 5))
  await r2.handleEvent(delta("s", "m1", "p1", "Hel"))
  await r2.handleEvent(text("s", "m1", "p1", "Hello world"))
  await r2.handleEvent(idle("s"))
  await r2.flush()
  assert.equal(g.calls[0].stdin.body, "assistant: Hello world")
})

test("reasoning streamed as text deltas is dropped when its part is finalised as reasoning", async () => {
  // The sequence recent OpenCode versions emit: deltas carry no part type; only the closing
  // message.part.updated says which part was reasoning.
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  const d = (partID, body) => delta("s", "m1", partID, body)
  const part = (id, type, body, extra = {}) => text("s", "m1", id, body, { type, ...extra })
  for (const e of [
    msg("s", "m1", "assistant", 5),
    d("p-think", "The user seems to "),
    d("p-answer", "Use runc "),
    d("p-think", "want a secret plan."),
    d("p-answer", "on this host."),
    part("p-think", "reasoning", "The user seems to want a secret plan."),
    part("p-answer", "text", "Use runc on this host."),
    d("p-think", " A late reasoning delta."),
    // Text parts OpenCode marks as not for the model, streamed then finalised as such.
    d("p-synth", "<reminder>"),
    part("p-synth", "text", "<reminder>", { synthetic: true }),
    d("p-ignored", "ignored text"),
    part("p-ignored", "text", "ignored text", { ignored: true }),
    idle("s"),
  ]) {
    await rec.handleEvent(e)
  }
  await rec.flush()
  assert.equal(f.calls.length, 1)
  assert.equal(f.calls[0].stdin.body, "assistant: Use runc on this host.")
})

test("a part announced as reasoning before its deltas gathers nothing", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  await rec.handleEvent(msg("s", "m1", "assistant", 5))
  await rec.handleEvent(text("s", "m1", "p0", "", { type: "reasoning" }))
  await rec.handleEvent(delta("s", "m1", "p0", "private thoughts"))
  await rec.handleEvent(text("s", "m1", "p1", "The answer."))
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls[0].stdin.body, "assistant: The answer.")
})

test("a session with nothing to say records nothing", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run })
  await rec.handleEvent(idle("unknown"))
  await rec.handleEvent(msg("s", "m1", "user", 1))
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls.length, 0)
})

test("long exchanges are clipped, keeping the end", async () => {
  const f = fakeRun()
  const { rec } = recorder({ run: f.run, maxBodyChars: 100, maxMessageChars: 60 })
  await say(rec, "s", "m1", "user", "a".repeat(500), 1)
  await say(rec, "s", "m2", "assistant", "the conclusion", 2)
  await rec.handleEvent(idle("s"))
  await rec.flush()
  const body = f.calls[0].stdin.body
  assert.ok(body.length <= 100, `body is ${body.length} chars`)
  assert.ok(body.endsWith("assistant: the conclusion"))
  assert.ok(body.startsWith("user: aaa"))
})

test("memory failures never reach OpenCode: logged, queued, retried with backoff", async () => {
  let up = false
  const f = fakeRun(() =>
    up
      ? { code: 0, json: { ok: true } }
      : { code: 4, json: { ok: false, error: { code: "falkordb_unreachable", message: "refused" } } },
  )
  const { rec, logs, clock: c, timers } = recorder({ run: f.run, retryBaseMs: 1000 })
  await say(rec, "s", "m1", "user", "remember this", 1)
  await rec.handleEvent(idle("s")) // resolves although the command fails
  await rec.flush()

  assert.equal(rec.pending().length, 1)
  assert.equal(rec.pending()[0].attempts, 1)
  assert.equal(rec.pending()[0].next_attempt_at, c.now() + 1000)
  assert.match(rec.pending()[0].last_error, /falkordb_unreachable: refused/)
  assert.ok(logs.some((l) => l.level === "warn" && /will retry/.test(l.message)))
  assert.equal(timers.at(-1).ms, 1000)

  // Not due yet: a flush does not call the command again.
  await rec.flush()
  assert.equal(f.calls.length, 1)

  c.advance(1000)
  await rec.flush()
  assert.equal(f.calls.length, 2)
  assert.equal(rec.pending()[0].next_attempt_at, c.now() + 2000, "backoff doubles")

  up = true
  c.advance(2000)
  timers.at(-1).fn() // the scheduled retry fires
  await rec.flush()
  assert.equal(f.calls.length, 3)
  assert.equal(rec.pending().length, 0)
  assert.deepEqual(f.calls[2].stdin, f.calls[0].stdin, "the retry sends the same episode")
})

test("a throwing command, a crashing command and a throwing logger are all contained", async () => {
  const { rec } = recorder({
    run: async () => {
      throw new Error("spawn exploded")
    },
    log: () => {
      throw new Error("logger exploded")
    },
  })
  await say(rec, "s", "m1", "user", "hello", 1)
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(rec.pending().length, 1)
  assert.equal(rec.pending()[0].last_error, "spawn exploded")

  const garbage = fakeRun(() => ({ code: 1, stderr: "Traceback\nValueError: bad" }))
  const r2 = recorder({ run: garbage.run }).rec
  await say(r2, "s", "m1", "user", "hello", 1)
  await r2.handleEvent(idle("s"))
  await r2.flush()
  assert.equal(r2.pending()[0].last_error, "exit 1: ValueError: bad")

  // Malformed events are ignored.
  for (const e of [null, undefined, 42, {}, { type: "message.updated" }, { type: "session.idle", properties: {} }]) {
    await r2.handleEvent(e)
  }
})

test("an episode the command rejects as bad input is dropped, not retried", async () => {
  const f = fakeRun(() => ({ code: 2, json: { ok: false, error: { code: "invalid_input", message: "bad" } } }))
  const { rec, logs, clock: c } = recorder({ run: f.run })
  await say(rec, "s", "m1", "user", "hello", 1)
  await rec.handleEvent(idle("s"))
  await rec.flush()
  c.advance(10 ** 9)
  await rec.flush()
  assert.equal(f.calls.length, 1)
  assert.equal(rec.pending().length, 0)
  assert.ok(logs.some((l) => l.level === "error" && /rejected/.test(l.message)))
})

test("after maxAttempts an episode is given up, with an error logged", async () => {
  const f = fakeRun(() => ({ code: 5, json: { ok: false, error: { code: "failed", message: "llm down" } } }))
  const { rec, logs, clock: c } = recorder({ run: f.run, maxAttempts: 3, retryBaseMs: 10 })
  await say(rec, "s", "m1", "user", "hello", 1)
  await rec.handleEvent(idle("s"))
  for (let i = 0; i < 5; i++) {
    await rec.flush()
    c.advance(10 ** 6)
  }
  assert.equal(f.calls.length, 3)
  assert.equal(rec.pending().length, 0)
  assert.ok(logs.some((l) => l.level === "error" && /giving up/.test(l.message)))
})

test("the queue is bounded: the oldest episode goes first", async () => {
  const f = fakeRun(() => ({ code: 4, json: { ok: false, error: { code: "falkordb_unreachable", message: "x" } } }))
  const { rec, logs } = recorder({ run: f.run, maxPending: 2 })
  for (const s of ["s1", "s2", "s3"]) {
    await say(rec, s, "m1", "user", `hello from ${s}`, 1)
    await rec.handleEvent(idle(s))
    await rec.flush()
  }
  assert.deepEqual(
    rec.pending().map((e) => e.name),
    ["OpenCode session s2 part 1", "OpenCode session s3 part 1"],
  )
  assert.ok(logs.some((l) => /queue full/.test(l.message)))
})

test("the record of old sessions is bounded", async () => {
  const store = memoryStore()
  const { rec } = recorder({ store, maxSessions: 2 })
  for (const s of ["s1", "s2", "s3"]) {
    await say(rec, s, "m1", "user", `hello from ${s}`, 1)
    await rec.handleEvent(idle(s))
  }
  await rec.flush()
  assert.deepEqual(Object.keys(JSON.parse(store.raw).sessions), ["s2", "s3"])
})

test("state survives a restart: the queue is resent and recorded messages stay recorded", async () => {
  const store = memoryStore()
  const down = fakeRun(() => ({ code: 4, json: { ok: false, error: { code: "falkordb_unreachable", message: "x" } } }))
  const first = recorder({ run: down.run, store }).rec
  await say(first, "s", "m1", "user", "keep me", 1)
  await first.handleEvent(idle("s"))
  await first.flush()
  assert.equal(JSON.parse(store.raw).pending.length, 1)

  // A new process: same store, memory is back; replayed events do not make a second episode.
  const up = fakeRun()
  const c = clock(Date.parse("2026-03-02T00:00:00Z"))
  const second = recorder({ run: up.run, store, clock: c }).rec
  await second.flush()
  assert.equal(up.calls.length, 1)
  assert.equal(up.calls[0].stdin.body, "user: keep me")
  await say(second, "s", "m1", "user", "keep me", 1)
  await second.handleEvent(idle("s"))
  await second.flush()
  assert.equal(up.calls.length, 1)
  assert.equal(JSON.parse(store.raw).pending.length, 0)
})

test("an unreadable state file is reported and memory starts afresh", async () => {
  const f = fakeRun()
  const { rec, logs } = recorder({
    run: f.run,
    store: {
      load: async () => {
        throw new Error("state.json: Unexpected token")
      },
      save: async () => {
        throw new Error("disk full")
      },
    },
  })
  await say(rec, "s", "m1", "user", "hello", 1)
  await rec.handleEvent(idle("s"))
  await rec.flush()
  assert.equal(f.calls.length, 1)
  assert.ok(logs.some((l) => /state file unreadable/.test(l.message)))
  assert.ok(logs.some((l) => /cannot save state/.test(l.message)))
})

test("search formats facts, entities and episodes, and degrades to a note", async () => {
  const f = fakeRun(() => ({
    code: 0,
    json: {
      ok: true,
      query: "podman",
      facts: [{ fact: "podman needs runc here", valid_at: "2026-01-01T00:00:00Z", invalid_at: null }],
      entities: [{ name: "podman", summary: "container engine" }],
      episodes: [{ name: "OpenCode session s part 1", created_at: "2026-01-01T00:00:00Z", content: "user: hi" }],
    },
  }))
  const { rec } = recorder({ run: f.run, searchTimeoutMs: 1234 })
  const out = await rec.search("podman", 3)
  assert.deepEqual(f.calls[0].args, ["search", "--limit", "3", "--", "podman"])
  await rec.search("-rf /")
  assert.deepEqual(f.calls[1].args, ["search", "--limit", "8", "--", "-rf /"], "a query never reads as an option")
  assert.equal(f.calls[0].timeoutMs, 1234)
  assert.match(out, /^Facts:\n- podman needs runc here \(since 2026-01-01T00:00:00Z\)/)
  assert.match(out, /Entities:\n- podman: container engine/)
  assert.match(out, /Episodes:\n- OpenCode session s part 1 \(2026-01-01T00:00:00Z\): user: hi/)

  assert.equal(formatSearch({ query: "x", facts: [], entities: [], episodes: [] }), 'No memory found for "x".')
  assert.equal(await rec.search("   "), "Memory search needs a non-empty query.")

  const down = recorder({
    run: async () => ({ code: 4, json: { ok: false, error: { code: "falkordb_unreachable", message: "refused" } } }),
  }).rec
  assert.equal(await down.search("x"), "Memory search is unavailable right now (falkordb_unreachable: refused).")
  const thrown = recorder({
    run: async () => {
      throw new Error("boom")
    },
  }).rec
  assert.equal(await thrown.search("x"), "Memory search is unavailable right now (boom).")
})

test("idle detection covers both event forms", () => {
  assert.equal(idleSessionID({ type: "session.idle", properties: { sessionID: "a" } }), "a")
  assert.equal(idleSessionID({ type: "session.status", properties: { sessionID: "b", status: { type: "idle" } } }), "b")
  assert.equal(idleSessionID({ type: "session.status", properties: { sessionID: "b", status: { type: "busy" } } }), undefined)
  assert.equal(idleSessionID({ type: "message.updated", properties: {} }), undefined)
})

#!/usr/bin/env node
// Stands in for graphiti/memory.py in the plugin tests: the same command line, stdin and JSON
// contract (exit 0/2/4), with episodes kept in a JSON file. FAKE_DIR holds its files:
//   mode     ok | down | reject | garbage | hang   (read on every call, so a test can switch it)
//   calls    one JSON line per call: {args, stdin}
//   db.json  the episodes added
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const dir = process.env.FAKE_DIR
const args = process.argv.slice(2)
const stdin = readFileSync(0, "utf8")
appendFileSync(join(dir, "calls"), JSON.stringify({ args, stdin }) + "\n")
const mode = existsSync(join(dir, "mode")) ? readFileSync(join(dir, "mode"), "utf8").trim() : "ok"
const dbFile = join(dir, "db.json")
const db = existsSync(dbFile) ? JSON.parse(readFileSync(dbFile, "utf8")) : []
const out = (obj, code) => {
  process.stdout.write(JSON.stringify(obj) + "\n")
  process.exit(code)
}

if (mode === "hang") setTimeout(() => {}, 1e9)
else if (mode === "garbage") {
  process.stderr.write("Traceback (most recent call last):\nBoom: exploded\n")
  process.stdout.write("not json\n")
  process.exit(1)
} else if (mode === "down") {
  out({ ok: false, command: args[0], error: { code: "falkordb_unreachable", message: "FalkorDB at localhost:6379 is unreachable" } }, 4)
} else if (mode === "reject") {
  out({ ok: false, command: args[0], error: { code: "invalid_input", message: "field 'body' must be a non-empty string", field: "body" } }, 2)
} else if (args[0] === "add-episode") {
  const ep = JSON.parse(stdin)
  const same = db.find((e) => e.name === ep.name && e.body === ep.body)
  if (!same) db.push({ ...ep, uuid: `uuid-${db.length + 1}` })
  // Atomically: several plugin instances may run this command at once.
  writeFileSync(`${dbFile}.${process.pid}.tmp`, JSON.stringify(db))
  renameSync(`${dbFile}.${process.pid}.tmp`, dbFile)
  out({ ok: true, command: "add-episode", uuid: (same ?? db[db.length - 1]).uuid, duplicate: Boolean(same) }, 0)
} else if (args[0] === "search") {
  // memory.py's argument grammar: options first, then "--", then the query.
  const dash = args.indexOf("--")
  if (dash < 0 || dash !== args.length - 2) {
    out({ ok: false, error: { code: "invalid_input", message: `search wants OPTIONS -- QUERY, got ${JSON.stringify(args)}` } }, 2)
  }
  const query = args[dash + 1]
  const words = query.toLowerCase().split(/\s+/)
  const hits = db.filter((e) => words.some((w) => e.body.toLowerCase().includes(w)))
  out({
    ok: true, command: "search", query, group_ids: ["opencode"],
    facts: hits.map((e) => ({ fact: `${e.name} mentions ${query}`, valid_at: null, invalid_at: null })),
    entities: [],
    episodes: hits.map((e) => ({ name: e.name, content: e.body, created_at: e.reference_time })),
  }, 0)
} else out({ ok: false, error: { code: "invalid_input", message: `unknown command ${args[0]}` } }, 2)

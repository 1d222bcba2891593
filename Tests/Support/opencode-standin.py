#!/usr/bin/env python3
"""A stand-in for the OpenCode server in tests that need python3 in its container: answers
GET /global/health like OpenCode does, and asks for basic auth when OPENCODE_SERVER_PASSWORD is
set. Each request is logged on stdout, so the container's log has lines to show."""
import base64
import http.server
import json
import os
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
USER = os.environ.get("OPENCODE_SERVER_USERNAME") or "opencode"
PASSWORD = os.environ.get("OPENCODE_SERVER_PASSWORD", "")
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() if PASSWORD else None


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if EXPECTED and self.headers.get("Authorization") != EXPECTED:
            self.reply(401, {"error": "unauthorized"}, {"WWW-Authenticate": 'Basic realm="opencode"'})
        elif self.path == "/global/health":
            self.reply(200, {"healthy": True, "version": "standin-1"})
        else:
            self.reply(404, {"error": "not found"})

    def reply(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        print("opencode stand-in: " + format % args, flush=True)


print(f"opencode stand-in listening on {PORT}", flush=True)
http.server.ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()

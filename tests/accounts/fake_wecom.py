"""A local HTTP server speaking the WeCom server API that CampusGrid uses — gettoken,
auth/getuserinfo, message/send — with its rules: tokens expire (errcode 42001), an OAuth
code is valid once (40029 afterwards), a wrong secret is 40001. Started on 127.0.0.1 by
the `wecom_server` fixture; CAMPUSGRID_WECOM_API_URL points at it."""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CORP_ID = "ww-test-corp"
AGENT_ID = "1000002"
SECRET = "test-secret"


class FakeWeCom:
    def __init__(self):
        self.tokens: dict[str, bool] = {}  # token -> still valid
        self.codes: dict[str, str | None] = {}  # code -> userid (None: not a member)
        self.used_codes: set[str] = set()
        self.messages: list[dict] = []
        self.calls: list[str] = []
        self.fail_sends = 0
        self.lock = threading.Lock()

    def issue_code(self, userid: str | None) -> str:
        code = secrets.token_hex(8)
        self.codes[code] = userid
        return code

    def expire_tokens(self):
        for token in self.tokens:
            self.tokens[token] = False

    def count(self, path: str) -> int:
        return sum(1 for c in self.calls if c == path)

    # --- protocol ---------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, body: bytes) -> dict:
        with self.lock:
            self.calls.append(path)
            if path == "/cgi-bin/gettoken":
                if query.get("corpid") != CORP_ID or query.get("corpsecret") != SECRET:
                    return {"errcode": 40001, "errmsg": "invalid credential"}
                token = secrets.token_urlsafe(32)
                self.tokens[token] = True
                return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
            token = query.get("access_token", "")
            if token not in self.tokens:
                return {"errcode": 40014, "errmsg": "invalid access_token"}
            if not self.tokens[token]:
                return {"errcode": 42001, "errmsg": "access_token expired"}
            if path == "/cgi-bin/auth/getuserinfo":
                code = query.get("code", "")
                if code not in self.codes or code in self.used_codes:
                    return {"errcode": 40029, "errmsg": "invalid code"}
                self.used_codes.add(code)
                userid = self.codes[code]
                if userid is None:
                    return {"errcode": 0, "errmsg": "ok", "openid": "o-" + code}
                return {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "t"}
            if path == "/cgi-bin/message/send" and method == "POST":
                if self.fail_sends:
                    self.fail_sends -= 1
                    return {"errcode": -1, "errmsg": "system busy"}
                message = json.loads(body)
                self.messages.append(message)
                known = [u for u in message["touser"].split("|") if not u.startswith("gone-")]
                unknown = [u for u in message["touser"].split("|") if u.startswith("gone-")]
                return {
                    "errcode": 0,
                    "errmsg": "ok",
                    "invaliduser": "|".join(unknown),
                    "msgid": str(len(known)),
                }
            return {"errcode": 404, "errmsg": "no such api"}


def serve(fake: FakeWeCom):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method):
            parts = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            answer = fake.handle(method, parts.path, query, self.rfile.read(length) if length else b"")
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server

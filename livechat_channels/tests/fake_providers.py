"""Local HTTP servers speaking the providers' protocols, for the tests.

They are not mocks of our code: the connectors reach them over HTTP exactly
as they reach api.telegram.org or graph.facebook.com (the base URL is a
connector setting). Each server records what it received and can be told
to answer the next calls with an error (5xx, 429) to test the delivery
queue.
"""

import cgi
import html
import io
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl, urlencode, urlsplit


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


class FakeProvider(object):
    """Base: start/stop, the record of calls, scripted failures."""

    def __init__(self):
        self.calls = []  # (method name, payload) in arrival order
        self.failures = []  # (method, status, body, headers, match) answered next
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                provider._handle(self, "GET")

            def do_POST(self):
                provider._handle(self, "POST")

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(
        self, status, body=None, times=1, headers=None, method="", match=None
    ):
        """Answer the next ``times`` calls whose name starts with ``method``
        (and whose payload holds the items of ``match``, when given) with
        ``status`` and ``body``."""
        with self.lock:
            self.failures.extend(
                [(method, status, body or {}, headers or {}, match or {})] * times
            )

    def calls_of(self, name):
        return [payload for method, payload in self.calls if method == name]

    @staticmethod
    def _payload(handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        ctype = handler.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            form = cgi.FieldStorage(
                fp=io.BytesIO(raw),
                headers=handler.headers,
                environ={"REQUEST_METHOD": "POST", "CONTENT_TYPE": ctype},
            )
            payload = {}
            for key in form.keys():
                item = form[key]
                payload[key] = (
                    {"filename": item.filename, "content": item.value}
                    if item.filename
                    else item.value
                )
            return payload
        if ctype.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(raw.decode()))
        if raw:
            try:
                return json.loads(raw.decode())
            except ValueError:
                return {"raw": raw}
        return {}

    def _handle(self, handler, verb):
        payload = self._payload(handler) if verb == "POST" else {}
        status, body, headers = self.route(handler, verb, payload)
        headers = dict(headers)
        if isinstance(body, (dict, list)):
            data, ctype = json.dumps(body).encode(), "application/json"
        else:
            data, ctype = body, "application/octet-stream"
        handler.send_response(status)
        handler.send_header("Content-Type", headers.pop("Content-Type", ctype))
        handler.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _scripted(self, method, payload=None):
        with self.lock:
            for index, (prefix, status, body, headers, match) in enumerate(
                self.failures
            ):
                if method.startswith(prefix) and all(
                    (payload or {}).get(key) == value for key, value in match.items()
                ):
                    del self.failures[index]
                    return status, body, headers
        return None

    def route(self, handler, verb, payload):
        raise NotImplementedError


class FakeTelegram(FakeProvider):
    """The Bot API for one bot token."""

    def __init__(self, token):
        self.token = token
        self.files = {}  # file_id -> bytes
        self.profile_photos = {}  # user id -> file_id
        self.webhook = None
        self.next_message_id = 1000
        super(FakeTelegram, self).__init__()

    def route(self, handler, verb, payload):
        match = re.match(r"^/(file/)?bot([^/]+)/(.+)$", handler.path)
        if not match or match.group(2) != self.token:
            return (
                401,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
                {},
            )
        if match.group(1):
            scripted = self._scripted("file")
            if scripted:
                return scripted
            file_id = match.group(3).split("/")[-1]
            if file_id in self.files:
                return 200, self.files[file_id], {}
            return 404, {"ok": False, "description": "Not Found"}, {}
        method = match.group(3)
        scripted = self._scripted(method, payload)
        if scripted:
            return scripted
        with self.lock:
            self.calls.append((method, payload))
        if method == "getMe":
            return self._ok({"id": 42, "is_bot": True, "username": "support_bot"})
        if method == "setWebhook":
            self.webhook = payload
            return self._ok(True)
        if method == "deleteWebhook":
            self.webhook = None
            return self._ok(True)
        if method == "sendMessage" and "reply_markup" in payload:
            # Bot API: inline buttons carry 1-64 bytes of callback data.
            rows = (payload.get("reply_markup") or {}).get("inline_keyboard")
            buttons = [b for row in rows or [] for b in row]
            if not buttons or not all(
                b.get("text") and 1 <= len(b.get("callback_data", "").encode()) <= 64
                for b in buttons
            ):
                return (
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: BUTTON_DATA_INVALID",
                    },
                    {},
                )
        if method == "answerCallbackQuery":
            if not payload.get("callback_query_id"):
                return (
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: query is too old or "
                        "query ID is invalid",
                    },
                    {},
                )
            return self._ok(True)
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            with self.lock:
                self.next_message_id += 1
                return self._ok(
                    {
                        "message_id": self.next_message_id,
                        "chat": {"id": int(payload.get("chat_id"))},
                    }
                )
        if method == "sendChatAction":
            # Bot API: a known action for a chat; True, shown for 5 s.
            if not payload.get("chat_id") or payload.get("action") not in (
                "typing",
                "upload_photo",
                "upload_document",
            ):
                return (
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: wrong parameter action in request",
                    },
                    {},
                )
            return self._ok(True)
        if method == "getFile":
            file_id = payload.get("file_id")
            if file_id not in self.files:
                return (
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: invalid file_id",
                    },
                    {},
                )
            return self._ok({"file_id": file_id, "file_path": "documents/%s" % file_id})
        if method == "getUserProfilePhotos":
            file_id = self.profile_photos.get(int(payload.get("user_id")))
            photos = (
                [[{"file_id": file_id, "width": 160, "height": 160}]] if file_id else []
            )
            return self._ok({"total_count": len(photos), "photos": photos})
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, {}

    @staticmethod
    def _ok(result):
        return 200, {"ok": True, "result": result}, {}


class FakeGraph(FakeProvider):
    """Meta's Graph API for one WhatsApp phone number id."""

    def __init__(self, token, phone_number_id):
        self.token = token
        self.phone_number_id = phone_number_id
        self.media = {}  # media id -> (bytes, mimetype)
        self.next_id = 0
        super(FakeGraph, self).__init__()

    def route(self, handler, verb, payload):
        if handler.headers.get("Authorization") != "Bearer %s" % self.token:
            return (
                401,
                {
                    "error": {
                        "message": "Invalid OAuth access token.",
                        "type": "OAuthException",
                        "code": 190,
                    }
                },
                {},
            )
        path = handler.path.split("?")[0].strip("/").split("/")
        if path[0] == "download" and len(path) == 2 and path[1] in self.media:
            return 200, self.media[path[1]][0], {}
        if path == [self.phone_number_id] and verb == "GET":
            return (
                200,
                {
                    "display_phone_number": "+1 555-0100",
                    "verified_name": "Support",
                    "id": self.phone_number_id,
                },
                {},
            )
        if path == [self.phone_number_id, "messages"] and verb == "POST":
            scripted = self._scripted("messages", payload)
            if scripted:
                return scripted
            if payload.get("type") == "interactive":
                # Cloud API: 1 to 3 reply buttons, titles of 20 characters
                # at most, ids of 256, unique.
                buttons = ((payload.get("interactive") or {}).get("action") or {}).get(
                    "buttons"
                ) or []
                replies = [b.get("reply") or {} for b in buttons]
                if not (
                    1 <= len(buttons) <= 3
                    and all(1 <= len(r.get("title") or "") <= 20 for r in replies)
                    and all(1 <= len(r.get("id") or "") <= 256 for r in replies)
                    and len({r.get("id") for r in replies}) == len(replies)
                ):
                    return (
                        400,
                        {
                            "error": {
                                "message": "(#131009) Parameter value is not valid",
                                "code": 131009,
                            }
                        },
                        {},
                    )
            with self.lock:
                self.calls.append(("messages", payload))
                self.next_id += 1
                return (
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [
                            {"input": payload.get("to"), "wa_id": payload.get("to")}
                        ],
                        "messages": [{"id": "wamid.out.%d" % self.next_id}],
                    },
                    {},
                )
        if path == [self.phone_number_id, "media"] and verb == "POST":
            with self.lock:
                self.calls.append(("media", payload))
                self.next_id += 1
                return 200, {"id": "media.%d" % self.next_id}, {}
        if len(path) == 1 and path[0] in self.media and verb == "GET":
            return (
                200,
                {
                    "url": "%s/download/%s" % (self.url, path[0]),
                    "mime_type": self.media[path[0]][1],
                    "id": path[0],
                },
                {},
            )
        return (
            404,
            {"error": {"message": "Unknown path %s" % handler.path, "code": 100}},
            {},
        )


class FakeOAuth(FakeProvider):
    """An OAuth 2.0 authorization server for one mailbox user, as Google's
    or Microsoft's: a consent page (``/authorize``), the token endpoint
    (``/token``: authorization code, refresh token) and RFC 7662 token
    introspection (``/introspect``) that dovecot's ``oauth2`` passdb and
    the test SMTP server ask. Access tokens live ``lifetime`` seconds."""

    def __init__(self, user="support", client_id="livechat-app", lifetime=3600):
        self.user = user
        self.client_id = client_id
        self.client_secret = secrets.token_urlsafe(16)
        self.lifetime = lifetime
        self.codes = {}  # code -> redirect_uri
        self.access = {}  # access token -> expiry (epoch seconds)
        self.refresh = set()
        self.rotate = False  # issue a new refresh token on each refresh
        super(FakeOAuth, self).__init__()

    def revoke(self):
        """The user removed the application's access."""
        with self.lock:
            self.refresh.clear()
            self.access.clear()

    def expire_access_tokens(self):
        """The server stops accepting the access tokens it gave, before
        their announced expiry (a password change does that)."""
        with self.lock:
            self.access.clear()

    def token_requests(self, grant_type):
        return [p for p in self.calls_of("token") if p.get("grant_type") == grant_type]

    def _tokens(self):
        access = secrets.token_urlsafe(24)
        self.access[access] = time.time() + self.lifetime
        answer = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
        }
        return access, answer

    def route(self, handler, verb, payload):
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query))
        name = parts.path.strip("/")
        scripted = self._scripted(name, payload)
        if scripted:
            return scripted
        with self.lock:
            self.calls.append((name, payload or query))
            if name == "authorize":
                return self._consent_page(query)
            if name == "consent":
                target = query["redirect_uri"]
                if query.get("allow") == "1":
                    code = secrets.token_urlsafe(12)
                    self.codes[code] = target
                    answer = {"code": code, "state": query["state"]}
                else:
                    answer = {"error": "access_denied", "state": query["state"]}
                return 302, b"", {"Location": target + "?" + urlencode(answer)}
            if name == "token":
                return self._token(payload)
            if name == "introspect":
                expiry = self.access.get(payload.get("token"))
                if expiry and expiry > time.time():
                    return 200, {"active": True, "username": self.user}, {}
                return 200, {"active": False}, {}
        return 404, {"error": "not_found"}, {}

    def _consent_page(self, query):
        allow = urlencode(dict(query, allow="1"))
        deny = urlencode(dict(query, allow="0"))
        page = (
            "<html><body><h1>Test provider</h1>"
            "<p>Allow %s to read and send the mail of %s?</p>"
            '<a id="allow" href="/consent?%s">Allow</a> '
            '<a id="deny" href="/consent?%s">Deny</a></body></html>'
        ) % (
            html.escape(query.get("client_id", "")),
            html.escape(query.get("login_hint", "")),
            html.escape(allow),
            html.escape(deny),
        )
        return 200, page.encode(), {"Content-Type": "text/html"}

    def _token(self, form):
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return 401, {"error": "invalid_client"}, {}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            target = self.codes.pop(form.get("code"), None)
            if target is None or target != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}, {}
            _access, answer = self._tokens()
            answer["refresh_token"] = secrets.token_urlsafe(24)
            self.refresh.add(answer["refresh_token"])
            return 200, answer, {}
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh:
                return (
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                    {},
                )
            _access, answer = self._tokens()
            if self.rotate:
                self.refresh.discard(form["refresh_token"])
                answer["refresh_token"] = secrets.token_urlsafe(24)
                self.refresh.add(answer["refresh_token"])
            return 200, answer, {}
        return 400, {"error": "unsupported_grant_type"}, {}

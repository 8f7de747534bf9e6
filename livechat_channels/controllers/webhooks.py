# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Providers' webhooks: check who is calling, hand the payload to the
connector, answer with a status the provider understands.

- 200 once every customer message of the payload is committed (an
  acknowledged message is in the database);
- 400 with the reason for a payload that is not the provider's (nothing is
  stored; the provider does not send it again);
- 403 for a wrong secret or signature, 404 for an unknown or disconnected
  connector, 413 for a body larger than any real update;
- 503 when a file could not be fetched from the provider yet: nothing is
  stored and the provider delivers the update again later.
"""

import collections
import hmac
import json
import logging
import re
import threading
import time

import werkzeug.wrappers

import odoo
from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import delivery, telegram, whatsapp

_logger = logging.getLogger(__name__)

#: Largest webhook body accepted. Updates carry file ids, never files.
MAX_WEBHOOK_BYTES = 1024 * 1024


#: Routes that read their JSON body themselves (webhooks, the website chat).
WEBHOOK_PREFIXES = (
    "/livechat/telegram/",
    "/livechat/whatsapp/",
    "/livechat/visitor/",
    "/longpolling/livechat/",
)


def _patch_request_type():
    """Let the webhooks read the providers' JSON themselves.

    Odoo 11 treats every ``application/json`` request as JSON-RPC: it would
    hand Telegram's and Meta's payloads to a ``type='json'`` route, which
    always answers 200 with a JSON-RPC envelope. Providers judge delivery by
    the HTTP status (a 5xx makes them send again), and the website chat
    answers 400/429 with a reason, so these paths, and only these, are served
    as plain HTTP requests. Odoo imports the addons before
    the first request (``Root.load_addons``), so every worker has this.
    """
    get_request = http.Root.get_request
    if getattr(get_request, "livechat_webhooks", False):
        return

    def livechat_get_request(self, httprequest):
        if httprequest.path.startswith(WEBHOOK_PREFIXES):
            return http.HttpRequest(httprequest)
        return get_request(self, httprequest)

    livechat_get_request.livechat_webhooks = True
    http.Root.get_request = livechat_get_request


_patch_request_type()


def _answer(status, reason=None):
    body = json.dumps(
        {"ok": status == 200, "reason": reason} if reason else {"ok": True}
    )
    # werkzeug's Response, not Odoo's: the fast path below answers outside
    # of an Odoo request.
    return werkzeug.wrappers.Response(
        body, status=status, headers=[("Content-Type", "application/json")]
    )


def _read_json(httprequest):
    """The request's raw body and its JSON, or an error response."""
    length = httprequest.content_length or 0
    if length > MAX_WEBHOOK_BYTES:
        return (
            None,
            None,
            _answer(413, "The body is larger than %d bytes." % MAX_WEBHOOK_BYTES),
        )
    raw = httprequest.get_data(cache=True)
    if len(raw) > MAX_WEBHOOK_BYTES:
        return (
            None,
            None,
            _answer(413, "The body is larger than %d bytes." % MAX_WEBHOOK_BYTES),
        )
    try:
        return raw, json.loads(raw.decode("utf-8")), None
    except (ValueError, UnicodeDecodeError) as error:
        return raw, None, _answer(400, "The body is not JSON: %s" % error)


def _ingest(connector, func, payload):
    """Run ``func(payload)`` and turn its outcome into the answer. Refused
    payloads roll back whatever was started (the way in checks before it
    writes, but the customer's account row may have been locked)."""
    try:
        func(payload)
    except (telegram.PayloadError, whatsapp.PayloadError, ValidationError) as error:
        connector.env.cr.rollback()
        reason = getattr(error, "name", None) or str(error)
        _logger.warning(
            "%s %s: payload refused: %s", connector._name, connector.id, reason
        )
        connector._record_error("Payload refused: %s" % reason)
        return _answer(400, reason)
    except delivery.RetryLater as error:
        connector.env.cr.rollback()
        _logger.warning(
            "%s %s: file not fetched, the provider will retry: %s",
            connector._name,
            connector.id,
            error,
        )
        connector._record_error("File not fetched (the provider retries): %s" % error)
        return _answer(503, "A file could not be fetched yet; send the update again.")
    except delivery.Rejected as error:
        connector.env.cr.rollback()
        connector._record_error("File refused by the provider: %s" % error)
        return _answer(400, str(error))
    return _answer(200)


def _in_transaction(db, work):
    """Run ``work(env)`` (as superuser) in one transaction of its own,
    retried on concurrency errors, committed before the answer is sent.

    The webhooks are ``auth='none'``: no Odoo session or public user is set
    up for a provider's call, and the connector is found, the secret checked
    and the message stored in this one transaction.
    """
    if not db:
        return _answer(404, "No database selected for this address.")
    return run_with_retry(odoo.registry(db), work)


# The webhooks ------------------------------------------------------------------


def telegram_update(db, httprequest, key):
    secret = httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    _raw, update, error = _read_json(httprequest)

    def work(env):
        connector = env["livechat.connector.telegram"]._for_webhook(key)
        if not connector:
            return _answer(404, "Unknown or disconnected bot.")
        # Bytes: compare_digest refuses str with non-ASCII characters, and a
        # header is the caller's to fill.
        if not connector.webhook_secret or not hmac.compare_digest(
                secret.encode("utf-8", "replace"),
                connector.webhook_secret.encode("utf-8")):
            return _answer(403, "Wrong secret token.")
        return error or _ingest(connector, connector._ingest_update, update)

    return _in_transaction(db, work)


def whatsapp_verify(db, httprequest, key):
    params = httprequest.args

    def work(env):
        connector = env["livechat.connector.whatsapp"]._for_webhook(
            key, connected=False
        )
        challenge = connector and whatsapp.verify_subscription(
            params, connector.verify_token
        )
        if not challenge:
            return _answer(403, "Not a subscription with this webhook's verify token.")
        return werkzeug.wrappers.Response(
            challenge, status=200, headers=[("Content-Type", "text/plain")]
        )

    return _in_transaction(db, work)


def whatsapp_notification(db, httprequest, key):
    signature = httprequest.headers.get("X-Hub-Signature-256", "")
    raw, payload, error = _read_json(httprequest)

    def work(env):
        connector = env["livechat.connector.whatsapp"]._for_webhook(key)
        if not connector:
            return _answer(404, "Unknown or disconnected number.")
        if raw is not None and not connector._check_signature(raw, signature):
            return _answer(403, "Missing or wrong X-Hub-Signature-256.")
        return error or _ingest(connector, connector._ingest_notification, payload)

    return _in_transaction(db, work)


KEY = r"([A-Za-z0-9_-]{1,64})"
FAST_ROUTES = [
    ("POST", re.compile(r"^/livechat/telegram/%s$" % KEY), telegram_update),
    ("POST", re.compile(r"^/livechat/whatsapp/%s$" % KEY), whatsapp_notification),
    ("GET", re.compile(r"^/livechat/whatsapp/%s$" % KEY), whatsapp_verify),
]


#: host -> (time, databases): the database list as the dbfilter gives it.
#: Listing databases opens a new connection to PostgreSQL each time (Odoo's
#: pool keeps none to "postgres"); a list a few seconds old is as good.
#: The Host header is the caller's to choose: the cache keeps at most
#: DATABASES_MAX hosts, the oldest forgotten first.
_DATABASES = collections.OrderedDict()
DATABASES_TTL = 30
DATABASES_MAX = 64
_DATABASES_LOCK = threading.Lock()


def _database(httprequest):
    """The one database the dbfilter leaves for this host, or None."""
    host = httprequest.environ.get("HTTP_HOST", "")[:255]
    now = time.time()
    cached = _DATABASES.get(host)
    if not cached or now - cached[0] > DATABASES_TTL:
        cached = (now, http.db_list(True, httprequest))
        with _DATABASES_LOCK:  # the threaded server's requests share it
            _DATABASES[host] = cached
            _DATABASES.move_to_end(host)
            while len(_DATABASES) > DATABASES_MAX:
                _DATABASES.popitem(last=False)
    return cached[1][0] if len(cached[1]) == 1 else None


def _fast_webhook(environ):
    """Answer a provider's webhook before Odoo's dispatcher, or None.

    A provider's call carries no Odoo session and needs no user, routing
    table or session file: what Odoo's dispatcher spends on them is about
    half of a webhook's time (bench/channels.py). The database is the one
    the dbfilter selects for the host (``db_monodb``); with several
    candidates, or without this addon in it, the request goes on to Odoo's
    dispatcher and the routes below.
    """
    path = environ.get("PATH_INFO", "")
    if not path.startswith(("/livechat/telegram/", "/livechat/whatsapp/")):
        return None
    method = environ.get("REQUEST_METHOD")
    for verb, pattern, handler in FAST_ROUTES:
        match = pattern.match(path)
        if verb == method and match:
            break
    else:
        return None
    httprequest = werkzeug.wrappers.Request(environ)
    db = _database(httprequest)
    if not db:
        return None
    registry = odoo.registry(db)
    if "livechat.connector.telegram" not in registry:
        return None
    if not registry.in_test_mode():
        registry.check_signaling()
    try:
        return handler(db, httprequest, match.group(1))
    except Exception:  # pylint: disable=broad-except
        # The provider sends the update again later; the error is logged.
        _logger.exception("Webhook %s failed", path)
        return _answer(500, "Internal error; send the update again later.")


def _patch_dispatch():
    dispatch = http.Root.dispatch
    if getattr(dispatch, "livechat_webhooks", False):
        return

    def livechat_dispatch(self, environ, start_response):
        response = _fast_webhook(environ)
        if response is None:
            return dispatch(self, environ, start_response)
        return response(environ, start_response)

    livechat_dispatch.livechat_webhooks = True
    http.Root.dispatch = livechat_dispatch


_patch_dispatch()


class LivechatWebhooks(http.Controller):
    """The same webhooks as Odoo routes, for requests the fast path leaves
    to Odoo's dispatcher (several databases for one host name)."""

    @http.route(
        "/livechat/telegram/<string:key>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
    )
    def telegram_update(self, key, **kwargs):
        return telegram_update(request.db, request.httprequest, key)

    @http.route(
        "/livechat/whatsapp/<string:key>",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
    )
    def whatsapp_verify(self, key, **params):
        return whatsapp_verify(request.db, request.httprequest, key)

    @http.route(
        "/livechat/whatsapp/<string:key>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
    )
    def whatsapp_notification(self, key, **kwargs):
        return whatsapp_notification(request.db, request.httprequest, key)

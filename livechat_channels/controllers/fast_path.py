# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhooks' fast path: what runs when a provider calls, and why.

Why it exists
    A provider's webhook carries no Odoo session and needs no user, no
    routing table, no session file: what Odoo 11's dispatcher spends on them
    is about half of a webhook's time (bench/channels.py). Busy bots send
    many small updates, each answered only once its message is committed.

What it does
    It wraps ``odoo.http.Root.__call__`` once, at import, so it applies
    from the next request on in every process: not ``Root.dispatch``, which
    the first request binds into Odoo's static-files middleware, and the
    long-polling process serves its first request before it loads the
    addons (a prefork worker has them from the start). A
    request matching a route of :data:`ROUTES` is answered by its handler
    at once, on the database the ``dbfilter`` selects for the host
    (``db_monodb``, cached :data:`DATABASES_TTL` seconds per host name, at
    most :data:`DATABASES_MAX` names). Anything else, and any webhook when
    the database is ambiguous (several candidates) or does not have this
    addon, goes on to Odoo's dispatcher, where the same :data:`ROUTES`
    are ordinary ``auth='none'`` routes (:class:`LivechatWebhooks`) calling
    the same handlers: one table, two ways in, the same answers
    (tests/test_fast_path.py proves it).

It answers the website visitors' long poll the same way
(``visitor_poll.py``): thousands of them wait at once, anonymous.

What it skips of Odoo's dispatcher
    The session store (no session file is read or written), the ``ir.http``
    routing and its ``_dispatch`` hooks (authentication, website language,
    geoip), Odoo's exception rendering (handlers answer JSON with a status
    the provider understands, and errors are logged here), and the
    JSON-RPC handling of ``application/json`` bodies.

How to turn it off
    Start Odoo with ``LIVECHAT_FAST_PATH=off`` in its environment: every
    webhook then goes through Odoo's dispatcher and the routes below.

It also makes Odoo serve the webhooks' and the website chat's paths as plain
HTTP: Odoo 11 treats every ``application/json`` request as JSON-RPC and would
answer them 200 with an envelope, while providers judge delivery by the
status (a 5xx makes them send again) and the website chat answers 400/429
with a reason.
"""
import collections
import logging
import os
import re
import threading
import time

import werkzeug.wrappers

import odoo
from odoo import http
from odoo.http import request

from . import visitor_poll
from .webhooks import answer, telegram_update, whatsapp_notification, whatsapp_verify

_logger = logging.getLogger(__name__)

#: ``LIVECHAT_FAST_PATH=off`` sends every webhook through Odoo's dispatcher.
ENABLED = os.environ.get("LIVECHAT_FAST_PATH", "on").lower() not in (
    "off",
    "0",
    "no",
    "false",
)

#: The webhooks: (name, HTTP method, path with ``<key>``, handler). A
#: handler takes the database name, the werkzeug request and the key, and
#: returns a werkzeug response.
ROUTES = [
    ("telegram_update", "POST", "/livechat/telegram/<key>", telegram_update),
    ("whatsapp_verify", "GET", "/livechat/whatsapp/<key>", whatsapp_verify),
    (
        "whatsapp_notification",
        "POST",
        "/livechat/whatsapp/<key>",
        whatsapp_notification,
    ),
]
#: What a key may be: the connectors' keys are URL-safe base64.
KEY = r"([A-Za-z0-9_-]{1,64})"
#: Paths Odoo must serve as plain HTTP (see the module's docstring).
PLAIN_HTTP_PREFIXES = (
    "/livechat/telegram/",
    "/livechat/whatsapp/",
    "/livechat/visitor/",
    "/longpolling/livechat/",
)
_COMPILED = [
    (
        verb,
        re.compile("^%s$" % re.escape(path).replace(re.escape("<key>"), KEY)),
        handler,
    )
    for _name, verb, path, handler in ROUTES
]
_PREFIXES = tuple(sorted({path.split("<key>")[0] for _n, _v, path, _h in ROUTES}))

#: host -> (time, databases): the database list as the dbfilter gives it.
#: Listing databases opens a new connection to PostgreSQL each time (Odoo's
#: pool keeps none to "postgres"); a list a few seconds old is as good.
#: The Host header is the caller's to choose: the cache keeps at most
#: DATABASES_MAX hosts, the oldest forgotten first.
_DATABASES = collections.OrderedDict()
DATABASES_TTL = 30
DATABASES_MAX = 64
_DATABASES_LOCK = threading.Lock()


def database_for(httprequest):
    """The one database the dbfilter leaves for this host, or None."""
    host = httprequest.environ.get("HTTP_HOST", "")[:255]
    now = time.time()
    cached = _DATABASES.get(host)
    if not cached or now - cached[0] > DATABASES_TTL:
        # One request lists at a time (the threaded server's threads, the
        # long-polling process's greenlets): a crowd arriving at once after
        # a restart would otherwise open a connection each.
        with _DATABASES_LOCK:
            cached = _DATABASES.get(host)
            if not cached or now - cached[0] > DATABASES_TTL:
                cached = (now, http.db_list(True, httprequest))
                _DATABASES[host] = cached
                _DATABASES.move_to_end(host)
                while len(_DATABASES) > DATABASES_MAX:
                    _DATABASES.popitem(last=False)
    return cached[1][0] if len(cached[1]) == 1 else None


def match(method, path):
    """The handler and key of a webhook request, or (None, None)."""
    if path.startswith(_PREFIXES):
        for verb, pattern, handler in _COMPILED:
            found = pattern.match(path)
            if verb == method and found:
                return handler, found.group(1)
    return None, None


def fast_answer(environ):
    """Answer a provider's webhook before Odoo's dispatcher, or None to let
    Odoo's dispatcher (and the routes of :class:`LivechatWebhooks`) do it."""
    if not ENABLED:
        return None
    method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
    if method == "POST" and path == visitor_poll.PATH:
        registry, httprequest = _registry(environ)
        if registry is None:
            return None
        return visitor_poll.visitor_poll(registry.db_name, httprequest)
    handler, key = match(method, path)
    if handler is None:
        return None
    registry, httprequest = _registry(environ)
    if registry is None:
        return None
    db = registry.db_name
    try:
        return handler(db, httprequest, key)
    except Exception:  # pylint: disable=broad-except
        # The provider sends the update again later; the error is logged.
        _logger.exception("Webhook %s failed", httprequest.path)
        return answer(500, "Internal error; send the update again later.")


def _registry(environ):
    """The registry of the request's one database, signals checked, and the
    request; (None, None) when the database is ambiguous or has not this
    addon."""
    httprequest = werkzeug.wrappers.Request(environ)
    db = database_for(httprequest)
    if not db:
        return None, None
    registry = odoo.registry(db)
    if "livechat.connector.telegram" not in registry:
        return None, None
    if not registry.in_test_mode():
        registry.check_signaling()
    return registry, httprequest


def _patch_odoo():
    """Wrap Odoo's dispatcher and request typing, once per process."""
    root = http.Root
    if getattr(root.__call__, "livechat_fast_path", False):
        return
    call, get_request = root.__call__, root.get_request

    def livechat_call(self, environ, start_response):
        response = fast_answer(environ)
        if response is None:
            return call(self, environ, start_response)
        return response(environ, start_response)

    def livechat_get_request(self, httprequest):
        if httprequest.path.startswith(PLAIN_HTTP_PREFIXES):
            return http.HttpRequest(httprequest)
        return get_request(self, httprequest)

    livechat_call.livechat_fast_path = True
    root.__call__ = livechat_call
    root.get_request = livechat_get_request


_patch_odoo()


def _route(name, verb, path, handler):
    """The Odoo route of one webhook of :data:`ROUTES`, as the method
    ``name`` (Odoo's routing map finds a route's settings by its name)."""

    def webhook(self, key, **kwargs):
        return handler(request.db, request.httprequest, key)

    webhook.__name__ = webhook.__qualname__ = name
    return http.route(
        path.replace("<key>", "<string:key>"),
        type="http",
        auth="none",
        methods=[verb],
        csrf=False,
    )(webhook)


#: The same webhooks as Odoo routes, for the requests the fast path leaves to
#: Odoo's dispatcher (several databases for one host name, or turned off).
LivechatWebhooks = type(http.Controller)(
    "LivechatWebhooks",
    (http.Controller,),
    dict(
        {
            name: _route(name, verb, path, handler)
            for name, verb, path, handler in ROUTES
        },
        __module__=__name__,
        __doc__="The webhooks of ROUTES as Odoo routes (see the module).",
    ),
)

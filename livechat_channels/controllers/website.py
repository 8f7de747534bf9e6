# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website chat's public routes, called from any website by the snippet.

The visitor proves who they are with the token in the request body (never a
cookie), so cross-site requests cannot act for them: the routes need no
CSRF token and answer any origin (``Access-Control-Allow-Origin: *``). The
browser sends ``text/plain`` JSON, a "simple" cross-origin request that
needs no preflight. Bodies are limited in size, requests in rate (per
visitor and per IP address, counted in PostgreSQL).
"""

import json
import logging
import os

from odoo import http
from odoo.http import request

from odoo.addons.bus.models.bus import dispatch

from ..engine import visitor

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
]
WIDGET_JS = os.path.join(
    os.path.dirname(__file__), "..", "static", "src", "js", "livechat_visitor.js"
)


def _json(status, payload):
    return http.Response(json.dumps(payload), status=status, headers=CORS)


def _params():
    raw = request.httprequest.get_data(cache=False)
    if len(raw) > MAX_BODY_BYTES:
        raise visitor.VisitorError(
            "The request is larger than %d bytes." % MAX_BODY_BYTES
        )
    try:
        params = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise visitor.VisitorError("The request body is not JSON.")
    if not isinstance(params, dict):
        raise visitor.VisitorError("The request body must be a JSON object.")
    return params


def _serve(func, limited=True):
    """Run one visitor request: parse, rate-limit, call, answer."""
    Website = request.env["livechat.website"].sudo()
    try:
        params = _params()
        if limited and not Website._allowed(
            request.httprequest.remote_addr,
            params.get("token") if isinstance(params.get("token"), str) else None,
        ):
            return _json(429, {"error": "Too many messages: wait a minute."})
        return _json(200, func(Website, params))
    except visitor.VisitorError as error:
        return _json(400, {"error": str(error)})
    except TypeError:
        return _json(400, {"error": "Unexpected or missing parameters."})


class LivechatWebsite(http.Controller):

    @http.route(
        "/livechat/widget/<string:key>.js", type="http", auth="public", methods=["GET"]
    )
    def widget_script(self, key, **kwargs):
        try:
            chat = request.env["livechat.website"].sudo()._chat(key)
        except visitor.VisitorError:
            return http.Response(
                "/* Unknown or disabled live chat. */",
                status=404,
                headers=[("Content-Type", "application/javascript")],
            )
        with open(WIDGET_JS, "r") as script:
            code = script.read()
        config = (
            request.env["livechat.website"]
            .sudo()
            ._widget_config(chat, request.httprequest.host_url)
        )
        return http.Response(
            "%s\nlivechatVisitor(%s);\n" % (code, config),
            headers=[
                ("Content-Type", "application/javascript; charset=utf-8"),
                ("Cache-Control", "public, max-age=300"),
            ],
        )

    @http.route(
        "/livechat/visitor/start",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def start(self, **kwargs):
        return _serve(lambda website, p: website.start(p.get("key"), p.get("token")))

    @http.route(
        "/livechat/visitor/history",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def history(self, **kwargs):
        return _serve(
            lambda website, p: website.history(
                p.get("key"), p.get("token"), p.get("before_id")
            )
        )

    @http.route(
        "/livechat/visitor/post",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def post(self, **kwargs):
        return _serve(
            lambda website, p: website.post(
                p.get("key"),
                p.get("token"),
                p.get("client_id"),
                p.get("body"),
                name=p.get("name"),
                email=p.get("email"),
            )
        )

    @http.route(
        "/longpolling/livechat/visitor",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def poll(self, **kwargs):
        """Wait for replies on the visitor's bus channel (long polling: under
        /longpolling/ so a proxy sends it to Odoo's gevent process)."""
        try:
            params = _params()
            channel = (
                request.env["livechat.website"].sudo().poll_channel(params.get("token"))
            )
            last = params.get("last") or 0
            if not isinstance(last, int):
                raise visitor.VisitorError("last must be a notification id.")
        except visitor.VisitorError as error:
            return _json(400, {"error": str(error)})
        dbname = request.db
        # Like Odoo's /longpolling/poll: give the cursor back while waiting.
        request.cr.close()
        request._cr = None
        notifications = dispatch.poll(dbname, [channel], last, {})
        return _json(
            200,
            {
                "notifications": [
                    {"id": item["id"], "message": item["message"]}
                    for item in notifications
                ]
            },
        )

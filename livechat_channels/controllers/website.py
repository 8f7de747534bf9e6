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

import base64
import html
import json
import logging
import os

from odoo import http
from odoo.http import content_disposition, request

from ..engine import visitor
from . import visitor_poll

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
#: A message with a file: the file's base64 (4/3 of its size) and the rest.
MAX_UPLOAD_BYTES = visitor.MAX_VISITOR_FILE * 4 // 3 + MAX_BODY_BYTES
CORS = visitor_poll.HEADERS
WIDGET_JS = os.path.join(
    os.path.dirname(__file__), "..", "static", "src", "js", "livechat_visitor.js"
)


#: The visitor's routes: JSON in a text/plain body, the token inside (no
#: cookie, hence no CSRF token).
VISITOR_ROUTE = dict(type="http", auth="public", methods=["POST"], csrf=False)


#: The preview page: nothing but the snippet, as a customer's site has it.
PREVIEW_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>%(title)s</title>
<meta name="viewport" content="width=device-width, initial-scale=1"/></head>
<body style="font-family: sans-serif; margin: 2em;">
<h1>%(title)s</h1>
<p>This page carries the website chat's tag: its button is at the bottom right.</p>
<script src="/livechat/widget/%(key)s.js" async></script>
</body></html>
"""


def _json(status, payload):
    return http.Response(json.dumps(payload), status=status, headers=CORS)


def _params(max_bytes=MAX_BODY_BYTES):
    """The request's JSON object: a visitor's request refused for its body
    is a 400 with the reason."""
    return visitor_poll.visitor_params(request.httprequest, max_bytes)


def _serve(func, limited=True, max_bytes=MAX_BODY_BYTES):
    """Run one visitor request: parse, rate-limit, call, answer."""
    Website = request.env["livechat.website"].sudo()
    try:
        params = _params(max_bytes)
        if limited and not Website._allowed(
            request.httprequest.remote_addr,
            params.get("token") if isinstance(params.get("token"), str) else None,
        ):
            return _json(429, {"error": "Too many messages: wait a minute."})
        return _json(200, func(Website, params))
    except visitor.VisitorError as error:
        return _json(400, {"error": str(error)})
    except Exception:  # pylint: disable=broad-except
        # A fault of ours, not of the visitor's input (which the model
        # checks, each refusal a VisitorError): logged, nothing of the
        # request kept, and a JSON answer the window understands.
        _logger.exception("Website chat request %s failed", request.httprequest.path)
        request.env.cr.rollback()
        return _json(500, {"error": "Something went wrong on our side; try again."})


def _post(website, params):
    return website._visitor_post(
        params.get("key"),
        params.get("token"),
        params.get("client_id"),
        params.get("body"),
        name=params.get("name"),
        email=params.get("email"),
        file=params.get("file"),
    )


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
        "/livechat/preview/<string:key>", type="http", auth="user", methods=["GET"]
    )
    def preview(self, key, **kwargs):
        """A blank page of this Odoo carrying the chat's snippet, where an
        administrator tries the website chat before pasting the tag into a
        site (the chat form links to it)."""
        try:
            chat = request.env["livechat.website"].sudo()._chat(key)
        except visitor.VisitorError as error:
            return http.Response(
                str(error), status=404, headers=[("Content-Type", "text/plain")]
            )
        return http.Response(
            PREVIEW_PAGE
            % {
                "title": html.escape(chat.website_title or chat.name),
                "key": html.escape(key),
            },
            headers=[("Content-Type", "text/html; charset=utf-8")],
        )

    @http.route("/livechat/visitor/start", **VISITOR_ROUTE)
    def start(self, **kwargs):
        return _serve(
            lambda website, p: website._visitor_start(p.get("key"), p.get("token"))
        )

    @http.route("/livechat/visitor/history", **VISITOR_ROUTE)
    def history(self, **kwargs):
        return _serve(
            lambda website, p: website._visitor_history(
                p.get("key"), p.get("token"), p.get("before_id")
            )
        )

    @http.route("/livechat/visitor/post", **VISITOR_ROUTE)
    def post(self, **kwargs):
        return _serve(_post)

    @http.route("/livechat/visitor/typing", **VISITOR_ROUTE)
    def typing(self, **kwargs):
        """The visitor is writing (their window says so every few seconds
        while they type): rate-limited on counters of its own."""
        return _serve(
            lambda website, p: website._visitor_typing(
                p.get("key"), p.get("token"), request.httprequest.remote_addr
            ),
            limited=False,
        )

    @http.route("/livechat/visitor/rate", **VISITOR_ROUTE)
    def rate(self, **kwargs):
        """The visitor answers the rating question of their conversation."""
        return _serve(
            lambda website, p: website._visitor_rate(
                p.get("key"),
                p.get("token"),
                p.get("message_id"),
                p.get("rating"),
                p.get("comment"),
            )
        )

    @http.route("/livechat/visitor/transcript", **VISITOR_ROUTE)
    def transcript(self, **kwargs):
        """The visitor asks for their conversation by email."""
        return _serve(
            lambda website, p: website._visitor_transcript(
                p.get("key"),
                p.get("token"),
                p.get("email"),
                p.get("tz"),
                request.httprequest.remote_addr,
            )
        )

    @http.route("/livechat/visitor/upload", **VISITOR_ROUTE)
    def upload(self, **kwargs):
        """A message with a picture or a PDF (``file``: name, base64 data):
        the same as post, with room for the file."""
        return _serve(_post, max_bytes=MAX_UPLOAD_BYTES)

    @http.route(
        "/livechat/visitor/file/<int:attachment_id>/<string:signature>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def file(self, attachment_id, signature, **kwargs):
        """A file of the visitor's conversation, by the link their window
        got. Pictures we accept are shown inline; anything else (an
        operator's file of any type) only downloads, so no file an operator
        sends can run as a page of Odoo's site."""
        try:
            attachment = (
                request.env["livechat.website"]
                .sudo()
                ._visitor_file(attachment_id, signature)
            )
        except visitor.VisitorError as error:
            return http.Response(
                str(error), status=404, headers=[("Content-Type", "text/plain")]
            )
        inline = attachment.mimetype in visitor.INLINE_TYPES
        name = attachment.datas_fname or attachment.name or "file"
        return http.Response(
            base64.b64decode(attachment.datas or b""),
            headers=[
                (
                    "Content-Type",
                    attachment.mimetype if inline else "application/octet-stream",
                ),
                (
                    "Content-Disposition",
                    content_disposition(name) if not inline else "inline",
                ),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "private, max-age=86400"),
                ("Access-Control-Allow-Origin", "*"),
            ],
        )

    @http.route(visitor_poll.PATH, **VISITOR_ROUTE)
    def poll(self, **kwargs):
        """Wait for replies on the visitor's bus channel (long polling: under
        /longpolling/ so a proxy sends it to Odoo's gevent process). The
        fast path answers it before Odoo's dispatcher; this route is for
        when the fast path is off."""
        # Like Odoo's /longpolling/poll: give the cursor back while waiting.
        if request._cr:
            request._cr.close()
            request._cr = None
        return visitor_poll.visitor_poll(request.db, request.httprequest)

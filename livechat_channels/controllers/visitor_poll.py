# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website visitor's long poll, answered without an Odoo request.

Thousands of visitors wait on it at once, each polling again every 50
seconds and after every reply. Through Odoo 11's dispatcher, each poll
listed the databases (a new PostgreSQL connection each time), made an
anonymous session and wrote its file to the sessions folder (kept a week:
about 150,000 files an hour for 2,000 waiting visitors) and ran the
``ir.http`` authentication; none of it serves a visitor, who proves who they
are with the token in the body. The webhooks' fast path answers the poll
before Odoo's dispatcher (``fast_path.py``); the Odoo route in
``website.py`` calls the same function when the fast path is off.
"""

import json
import logging

import werkzeug.wrappers

import odoo
from odoo import SUPERUSER_ID, api

from odoo.addons.bus.models.bus import dispatch

from ..engine import visitor
from .json_body import BodyError, read_json

_logger = logging.getLogger(__name__)

PATH = "/longpolling/livechat/visitor"
#: A poll's body is a token and a number.
MAX_POLL_BYTES = 4096
#: The headers of every answer to the website chat's routes (any origin).
HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
]


def _answer(status, payload):
    return werkzeug.wrappers.Response(
        json.dumps(payload), status=status, headers=HEADERS
    )


def visitor_params(httprequest, max_bytes):
    """The JSON object of a website visitor's request (the webhooks'
    reader): a body refused is a VisitorError naming why (a 400)."""
    try:
        _raw, params = read_json(httprequest, max_bytes)
    except BodyError as error:
        raise visitor.VisitorError(str(error))
    if not isinstance(params, dict):
        raise visitor.VisitorError("The request body must be a JSON object.")
    return params


def _channel_and_last(env, httprequest):
    """The visitor's bus channel and the last notification they have, from
    the request's body (a VisitorError names what is wrong)."""
    params = visitor_params(httprequest, MAX_POLL_BYTES)
    channel = env["livechat.website"]._poll_channel(params.get("token"))
    last = params.get("last") or 0
    if not isinstance(last, int) or isinstance(last, bool) or last < 0:
        raise visitor.VisitorError("last must be a notification id.")
    return channel, last


def visitor_poll(db, httprequest):
    """Wait for the replies on the visitor's channel and answer them; no
    database connection is held while waiting."""
    try:
        with api.Environment.manage(), odoo.registry(db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if not env["livechat.website"]._poll_allowed(httprequest.remote_addr):
                return _answer(429, {"error": "Too many requests: wait a minute."})
            channel, last = _channel_and_last(env, httprequest)
        notifications = dispatch.poll(db, [channel], last, {})
    except visitor.VisitorError as error:
        return _answer(400, {"error": str(error)})
    except Exception:  # pylint: disable=broad-except
        _logger.exception("Website visitor's long poll failed")
        return _answer(500, {"error": "Something went wrong on our side; try again."})
    return _answer(
        200,
        {
            "notifications": [
                {"id": item["id"], "message": item["message"]} for item in notifications
            ]
        },
    )

# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Providers' webhooks: check who is calling, hand the payload to the
connector, answer with a status the provider understands. Where they are
routed (before Odoo's dispatcher, or through it) is controllers/fast_path.py.

- 200 once every customer message of the payload is committed (an
  acknowledged message is in the database);
- 400 with the reason for a payload that is not the provider's (nothing is
  stored; the provider does not send it again);
- 403 for a wrong secret or signature, 404 for an unknown or disconnected
  connector, 413 for a body larger than any real update;
- 503 when a file could not be fetched from the provider yet: nothing is
  stored and the provider delivers the update again later.
"""

import hmac
import json
import logging

import werkzeug.wrappers

import odoo
from odoo.exceptions import ValidationError

from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import delivery, telegram, whatsapp
from .json_body import BodyError, read_json

_logger = logging.getLogger(__name__)

#: Largest webhook body accepted. Updates carry file ids, never files.
MAX_WEBHOOK_BYTES = 1024 * 1024


def answer(status, reason=None):
    body = json.dumps(
        {"ok": status == 200, "reason": reason} if reason else {"ok": True}
    )
    # werkzeug's Response, not Odoo's: the fast path answers outside of an
    # Odoo request.
    return werkzeug.wrappers.Response(
        body, status=status, headers=[("Content-Type", "application/json")]
    )


def _read_json(httprequest):
    """The request's raw body and its JSON, or an error response."""
    try:
        raw, payload = read_json(httprequest, MAX_WEBHOOK_BYTES)
    except BodyError as error:
        return error.raw, None, answer(error.status, str(error))
    return raw, payload, None


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
        return answer(400, reason)
    except delivery.RetryLater as error:
        connector.env.cr.rollback()
        _logger.warning(
            "%s %s: file not fetched, the provider will retry: %s",
            connector._name,
            connector.id,
            error,
        )
        connector._record_error("File not fetched (the provider retries): %s" % error)
        return answer(503, "A file could not be fetched yet; send the update again.")
    except delivery.Rejected as error:
        connector.env.cr.rollback()
        connector._record_error("File refused by the provider: %s" % error)
        return answer(400, str(error))
    return answer(200)


def _in_transaction(db, work):
    """Run ``work(env)`` (as superuser) in one transaction of its own,
    retried on concurrency errors, committed before the answer is sent.

    The webhooks are ``auth='none'``: no Odoo session or public user is set
    up for a provider's call, and the connector is found, the secret checked
    and the message stored in this one transaction.
    """
    if not db:
        return answer(404, "No database selected for this address.")
    return run_with_retry(odoo.registry(db), work)


# The webhooks ------------------------------------------------------------------


def telegram_update(db, httprequest, key):
    secret = httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    _raw, update, error = _read_json(httprequest)

    def work(env):
        connector = env["livechat.connector.telegram"]._for_webhook(key)
        if not connector:
            return answer(404, "Unknown or disconnected bot.")
        # Bytes: compare_digest refuses str with non-ASCII characters, and a
        # header is the caller's to fill.
        if not connector.webhook_secret or not hmac.compare_digest(
            secret.encode("utf-8", "replace"), connector.webhook_secret.encode("utf-8")
        ):
            return answer(403, "Wrong secret token.")
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
            return answer(403, "Not a subscription with this webhook's verify token.")
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
            return answer(404, "Unknown or disconnected number.")
        if raw is not None and not connector._check_signature(raw, signature):
            return answer(403, "Missing or wrong X-Hub-Signature-256.")
        return error or _ingest(connector, connector._ingest_notification, payload)

    return _in_transaction(db, work)

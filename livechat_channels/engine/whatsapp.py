"""WhatsApp Cloud API: webhook notifications in, messages out.

Reference: Meta's WhatsApp Cloud API (webhooks, messages, media). The base
URL (``https://graph.facebook.com/v17.0`` by default) is configurable, so a
local server speaking the same protocol stands in for Meta in tests.
"""

import base64
import datetime
import hashlib
import hmac

from . import delivery

DEFAULT_API_URL = "https://graph.facebook.com/v17.0"

#: Error codes by which the Cloud API asks the sender to slow down.
RATE_LIMIT_CODES = (4, 80007, 130429, 131048, 131056)

MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")


class PayloadError(ValueError):
    """The notification is not one Meta sends: answered 400, nothing stored."""


def check_signature(app_secret, raw_body, header):
    """True when ``X-Hub-Signature-256`` signs ``raw_body`` with the app
    secret. Compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :])


def verify_subscription(params, verify_token):
    """The webhook verification handshake: the challenge to echo back, or
    None when the request is not Meta's subscription with our token."""
    if params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    if not hmac.compare_digest(str(params.get("hub.verify_token") or ""), verify_token):
        return None
    return params.get("hub.challenge")


def _values_for(payload, phone_number_id):
    """The ``value`` objects of a notification that concern our number.

    :raises PayloadError: the JSON is not a Cloud API notification
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadError("A notification is an object with an 'entry' list.")
    values = []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise PayloadError("entry.changes must be a list.")
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise PayloadError("changes.value must be an object.")
            metadata = value.get("metadata") or {}
            if str(metadata.get("phone_number_id") or "") == str(phone_number_id):
                values.append(value)
    return values


def parse_notification(payload, phone_number_id):
    """The customer messages of one notification sent to our number.

    Returns a list of dicts (``id``, ``account``, ``body``, ``media``,
    ``date``; a reply button pressed has ``button``, its id, instead of
    ``body`` and ``media``). Other numbers' messages are left out; delivery statuses are
    :func:`parse_statuses`' part.

    :raises PayloadError: the JSON is not a Cloud API notification
    """
    result = []
    for value in _values_for(payload, phone_number_id):
        names = {
            str(contact.get("wa_id")): (contact.get("profile") or {}).get("name")
            for contact in value.get("contacts") or []
            if isinstance(contact, dict)
        }
        for message in value.get("messages") or []:
            result.append(_parse_message(message, names))
    return [message for message in result if message]


def parse_statuses(payload, phone_number_id):
    """What Meta reports of the messages of ours it had accepted.

    Meta accepts a message (the send call answers its id), then tells in a
    later ``statuses`` notification whether it was sent, delivered, read or
    failed: the customer blocked the number, is not on WhatsApp, the 24-hour
    window had closed... Returns a list of dicts ``id`` (the message id the
    send call answered), ``recipient`` (the customer's wa_id), ``state``
    (``delivered`` for delivered and read, ``failed``) and ``error`` (Meta's
    reason of a failure, for the operator). "sent" adds nothing to what the
    send call said and is left out.

    :raises PayloadError: the JSON is not a Cloud API notification
    """
    reports = []
    for value in _values_for(payload, phone_number_id):
        for status in value.get("statuses") or []:
            if not isinstance(status, dict):
                raise PayloadError("statuses[] must be objects.")
            for key in ("id", "status", "recipient_id"):
                if not isinstance(status.get(key), str) or not status[key]:
                    raise PayloadError("status.%s is missing." % key)
            state = {"delivered": "delivered", "read": "delivered", "failed": "failed"}
            if status["status"] not in state:
                continue
            reports.append(
                {
                    "id": status["id"],
                    "recipient": status["recipient_id"],
                    "state": state[status["status"]],
                    "error": (
                        _failure_reason(status.get("errors"))
                        if status["status"] == "failed"
                        else None
                    ),
                }
            )
    return reports


def _failure_reason(errors):
    """Meta's errors of a failed status as one line: the details when Meta
    gives them, else the message or title, with the error code."""
    reasons = []
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        text = details or error.get("message") or error.get("title")
        if text:
            code = error.get("code")
            reasons.append("%s (error %s)" % (text, code) if code else str(text))
    return "WhatsApp could not deliver it: %s" % (
        "; ".join(reasons) or "no reason given"
    )


def _parse_message(message, names):
    if not isinstance(message, dict):
        raise PayloadError("messages[] must be objects.")
    for key in ("id", "from", "timestamp", "type"):
        if not isinstance(message.get(key), str) or not message[key]:
            raise PayloadError("message.%s is missing." % key)
    try:
        date = datetime.datetime.utcfromtimestamp(int(message["timestamp"]))
    except (ValueError, OverflowError):
        raise PayloadError("message.timestamp is not a Unix time.")
    kind = message["type"]
    media = None
    if kind == "text":
        body = (message.get("text") or {}).get("body")
    elif kind in MEDIA_KINDS:
        item = message.get(kind)
        if not isinstance(item, dict) or not item.get("id"):
            raise PayloadError("message.%s.id is missing." % kind)
        media = {
            "id": str(item["id"]),
            "mimetype": item.get("mime_type"),
            "name": item.get("filename") or "%s-%s" % (kind, message["id"][-8:]),
        }
        body = item.get("caption") or "[%s]" % (
            item.get("filename") or kind.capitalize()
        )
    elif kind == "button":
        body = (message.get("button") or {}).get("text")
    elif kind == "interactive":
        # A reply button pressed (our rating question): no text for the
        # operators, the button's id for the connector.
        reply = (message.get("interactive") or {}).get("button_reply")
        if not isinstance(reply, dict) or not isinstance(reply.get("id"), str):
            return None
        wa_id = message["from"]
        return {
            "id": message["id"],
            "account": {"external_id": wa_id, "name": names.get(wa_id) or "+" + wa_id},
            "button": reply["id"],
            "date": date,
        }
    else:
        # Locations, contacts, reactions...: nothing an operator can read.
        return None
    if not isinstance(body, str) or not body.strip():
        raise PayloadError("The %s message has no text." % kind)
    wa_id = message["from"]
    return {
        "id": message["id"],
        "account": {"external_id": wa_id, "name": names.get(wa_id) or "+" + wa_id},
        "body": body,
        "media": media,
        "date": date,
    }


class CloudApi(object):
    """The few Cloud API calls a live chat needs, for one phone number."""

    def __init__(self, base_url, token, phone_number_id):
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        self.token = token or ""
        self.phone_number_id = phone_number_id

    def _headers(self):
        return {"Authorization": "Bearer %s" % self.token}

    def _answer(self, response):
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and "error" not in answer:
            return answer
        error = answer.get("error") or {}
        reason = error.get("message") or "HTTP %d" % response.status_code
        if response.status_code == 429 or error.get("code") in RATE_LIMIT_CODES:
            raise delivery.RetryLater(reason, delivery.retry_after_header(response))
        raise delivery.Rejected(reason)

    def phone_number(self):
        return self._answer(
            delivery.call(
                "GET",
                "%s/%s" % (self.base_url, self.phone_number_id),
                headers=self._headers(),
            )
        )

    def send(self, to, message):
        """Send one message object (``type`` + its content); returns the
        message id Meta gives it."""
        payload = dict(
            message, messaging_product="whatsapp", recipient_type="individual", to=to
        )
        answer = self._answer(
            delivery.call(
                "POST",
                "%s/%s/messages" % (self.base_url, self.phone_number_id),
                json=payload,
                headers=self._headers(),
            )
        )
        messages = answer.get("messages") or [{}]
        return messages[0].get("id")

    def send_text(self, to, text):
        return self.send(to, {"type": "text", "text": {"body": text}})

    def send_buttons(self, to, text, buttons):
        """A message with up to three reply buttons (``buttons``: a list of
        ``(id, title)``; WhatsApp shows at most 20 characters of a title)."""
        return self.send(
            to,
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": text[:1024]},
                    "action": {
                        "buttons": [
                            {
                                "type": "reply",
                                "reply": {"id": data, "title": title[:20]},
                            }
                            for data, title in buttons[:3]
                        ]
                    },
                },
            },
        )

    def send_template(self, to, name, language):
        return self.send(
            to,
            {
                "type": "template",
                "template": {"name": name, "language": {"code": language}},
            },
        )

    def send_file(self, to, name, content, mimetype):
        """Upload a file, then send it as an image or a document."""
        uploaded = self._answer(
            delivery.call(
                "POST",
                "%s/%s/media" % (self.base_url, self.phone_number_id),
                data={"messaging_product": "whatsapp", "type": mimetype},
                files={"file": (name, content, mimetype)},
                headers=self._headers(),
            )
        )
        kind = "image" if mimetype in ("image/jpeg", "image/png") else "document"
        content = {"id": uploaded.get("id")}
        if kind == "document":
            content["filename"] = name
        return self.send(to, {"type": kind, kind: content})

    def download(self, media_id):
        """A customer's media file, base64-encoded."""
        info = self._answer(
            delivery.call(
                "GET", "%s/%s" % (self.base_url, media_id), headers=self._headers()
            )
        )
        if not info.get("url"):
            raise delivery.Rejected("Meta gave no URL for media %s." % media_id)
        response = delivery.call("GET", info["url"], headers=self._headers())
        if response.status_code != 200:
            raise delivery.RetryLater(
                "HTTP %d downloading media %s" % (response.status_code, media_id)
            )
        return base64.b64encode(response.content)

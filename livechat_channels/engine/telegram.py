"""Telegram Bot API: updates in, messages out.

Reference: https://core.telegram.org/bots/api. The base URL is configurable
(``https://api.telegram.org`` by default) so a local server speaking the same
protocol stands in for Telegram in tests and air-gapped set-ups.
"""

import base64
import datetime

from . import delivery

DEFAULT_API_URL = "https://api.telegram.org"

#: Message kinds carrying one file, with the label shown when there is no
#: caption (the way in wants some text with every message).
FILE_KINDS = (
    ("document", "Document"),
    ("video", "Video"),
    ("voice", "Voice message"),
    ("audio", "Audio"),
    ("photo", "Photo"),
)


class PayloadError(ValueError):
    """The update is not one Telegram sends: answered 400, nothing stored."""


def _require(mapping, key, kind, where):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PayloadError(
            "%s.%s is missing or not a %s." % (where, key, kind.__name__)
        )
    return value


def parse_update(update):
    """Turn one webhook update into what the way in takes.

    Returns ``None`` for updates that carry no customer message for a live
    chat (edits, group chats, other bots): Telegram gets a 200 for them and
    does not send them again.

    :raises PayloadError: the JSON is not a Telegram update
    """
    if not isinstance(update, dict):
        raise PayloadError("The update must be a JSON object.")
    update_id = _require(update, "update_id", int, "update")
    message = update.get("message")
    if message is None:
        return None
    _require(message, "message_id", int, "message")
    date = _require(message, "date", int, "message")
    chat = _require(message, "chat", dict, "message")
    sender = message.get("from")
    if (
        chat.get("type") != "private"
        or not isinstance(sender, dict)
        or sender.get("is_bot")
    ):
        return None
    user_id = _require(sender, "id", int, "message.from")
    name = " ".join(
        part
        for part in (sender.get("first_name"), sender.get("last_name"))
        if isinstance(part, str) and part.strip()
    ) or (sender.get("username") if isinstance(sender.get("username"), str) else "")
    files = []
    label = None
    for kind, kind_label in FILE_KINDS:
        item = message.get(kind)
        if not item:
            continue
        if kind == "photo":
            # Telegram sends every size of a photo; keep the largest.
            if not isinstance(item, list) or not all(isinstance(s, dict) for s in item):
                raise PayloadError("message.photo must be a list of sizes.")
            item = item[-1]
        if not isinstance(item, dict):
            raise PayloadError("message.%s must be an object." % kind)
        file_id = _require(item, "file_id", str, "message.%s" % kind)
        default_name = (
            "%s-%d.jpg" % (kind, message["message_id"])
            if kind == "photo"
            else "%s-%d" % (kind, message["message_id"])
        )
        files.append(
            {
                "file_id": file_id,
                "name": item.get("file_name") or default_name,
                "mimetype": item.get("mime_type")
                or ("image/jpeg" if kind == "photo" else None),
            }
        )
        label = item.get("file_name") or kind_label
        break
    text = message.get("text") or message.get("caption") or ""
    if not isinstance(text, str):
        raise PayloadError("message.text must be a string.")
    if not text.strip():
        if not files:
            # Stickers, locations, contacts...: nothing an operator can read.
            return None
        text = "[%s]" % label
    return {
        "update_id": update_id,
        "account": {
            "external_id": str(user_id),
            "name": name or str(user_id),
        },
        "body": text,
        "files": files,
        "date": datetime.datetime.utcfromtimestamp(date),
    }


def parse_callback(update):
    """A button press of a private chat's customer: ``id`` (to answer it),
    ``user_id`` (str, as accounts keep it) and the button's ``data``; or
    None when the update is not a callback query.

    :raises PayloadError: a callback query without its required fields
    """
    if not isinstance(update, dict):
        raise PayloadError("The update must be a JSON object.")
    _require(update, "update_id", int, "update")
    query = update.get("callback_query")
    if query is None:
        return None
    callback_id = _require(query, "id", str, "callback_query")
    sender = _require(query, "from", dict, "callback_query")
    user_id = _require(sender, "id", int, "callback_query.from")
    data = query.get("data")
    return {
        "id": callback_id,
        "user_id": str(user_id),
        "data": data if isinstance(data, str) else None,
    }


class BotApi(object):
    """The few Bot API methods a live chat needs."""

    def __init__(self, base_url, token):
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        self.token = token or ""

    def call(self, method, data=None, files=None):
        """Call ``method`` and return its ``result``.

        :raises delivery.RetryLater: network error, 5xx, or 429 (with
            Telegram's ``retry_after``)
        :raises delivery.Rejected: any other refusal (bad token, blocked by
            the user, chat not found...)
        """
        url = "%s/bot%s/%s" % (self.base_url, self.token, method)
        if files:
            response = delivery.call("POST", url, data=data, files=files)
        else:
            response = delivery.call("POST", url, json=data or {})
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and answer.get("ok"):
            return answer.get("result")
        description = answer.get("description") or "HTTP %d" % response.status_code
        if response.status_code == 429:
            retry_after = (answer.get("parameters") or {}).get("retry_after")
            raise delivery.RetryLater(
                description,
                retry_after=retry_after or delivery.retry_after_header(response),
            )
        raise delivery.Rejected("%s (%s)" % (description, method))

    def get_me(self):
        return self.call("getMe")

    def set_webhook(self, url, secret_token):
        return self.call(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                # callback_query: a customer pressed a rating button.
                "allowed_updates": ["message", "callback_query"],
            },
        )

    def delete_webhook(self):
        return self.call("deleteWebhook")

    def send_chat_action(self, chat_id, action):
        return self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    def send_text(self, chat_id, text):
        return self.call("sendMessage", {"chat_id": chat_id, "text": text})

    def send_buttons(self, chat_id, text, buttons):
        """A message with one row of inline buttons (``buttons``: a list of
        ``(callback_data, label)``); pressing one sends a callback query."""
        return self.call(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "reply_markup": {
                    "inline_keyboard": [
                        [
                            {"text": label, "callback_data": data}
                            for data, label in buttons
                        ]
                    ]
                },
            },
        )

    def answer_callback(self, callback_id, text):
        """Tell the customer who pressed a button what it did (a short
        notice over their chat)."""
        return self.call(
            "answerCallbackQuery", {"callback_query_id": callback_id, "text": text}
        )

    def send_file(self, chat_id, name, content, mimetype):
        """Send one file: a photo when it is an image Telegram shows inline,
        otherwise a document. ``content`` is bytes."""
        if mimetype in ("image/jpeg", "image/png"):
            method, field = "sendPhoto", "photo"
        else:
            method, field = "sendDocument", "document"
        return self.call(
            method,
            {"chat_id": chat_id},
            files={field: (name, content, mimetype or "application/octet-stream")},
        )

    def download(self, file_id):
        """The content of a file a customer sent, base64-encoded."""
        info = self.call("getFile", {"file_id": file_id})
        path = (info or {}).get("file_path")
        if not path:
            raise delivery.Rejected("Telegram gave no path for file %s." % file_id)
        response = delivery.call(
            "GET", "%s/file/bot%s/%s" % (self.base_url, self.token, path)
        )
        if response.status_code != 200:
            raise delivery.RetryLater(
                "HTTP %d downloading %s" % (response.status_code, path)
            )
        return base64.b64encode(response.content)

    def profile_photo(self, user_id):
        """The user's current profile photo (base64), or None."""
        photos = self.call(
            "getUserProfilePhotos", {"user_id": int(user_id), "limit": 1}
        )
        sizes = (photos or {}).get("photos") or []
        if not sizes or not sizes[0]:
            return None
        return self.download(sizes[0][-1]["file_id"])

# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading a JSON request body with a size limit: the webhooks' and the
website chat's, which Odoo serves as plain HTTP (controllers/fast_path.py)."""
import json


class BodyError(ValueError):
    """A body refused: ``status`` 413 (too large) or 400 (not JSON), and
    ``raw``, the bytes read (None when refused before reading them)."""

    def __init__(self, status, reason, raw=None):
        super(BodyError, self).__init__(reason)
        self.status = status
        self.raw = raw


def read_json(httprequest, max_bytes):
    """``(raw bytes, parsed JSON)`` of the request's body.

    A declared length over ``max_bytes`` is refused before anything is read;
    a body that turns out longer (no or a wrong Content-Length) after.
    :raises BodyError: too large (413) or not JSON (400)
    """
    too_large = "The body is larger than %d bytes." % max_bytes
    if (httprequest.content_length or 0) > max_bytes:
        raise BodyError(413, too_large)
    raw = httprequest.get_data(cache=True)
    if len(raw) > max_bytes:
        raise BodyError(413, too_large)
    try:
        return raw, json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BodyError(400, "The body is not JSON: %s" % error, raw=raw)

# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer satisfaction: the three answers a customer may give when a
session closes, and what each channel's buttons carry.

A rating is one of three faces, as on paper forms and Odoo's own ratings:
few enough to fit on a phone's keyboard row (WhatsApp allows three reply
buttons), and a percentage the reports average (good 100, okay 50, bad 0).
"""

import re

#: The answers, best first: (value, label, face).
RATINGS = [("good", "Good", "😀"), ("okay", "Okay", "😐"), ("bad", "Bad", "😞")]
SCORES = {"good": 100, "okay": 50, "bad": 0}
FACES = {value: face for value, _label, face in RATINGS}
LABELS = {value: label for value, label, _face in RATINGS}
#: Days after the request during which the customer may rate, or change
#: their mind.
RATING_DAYS = 7
#: Longest comment kept (characters).
MAX_COMMENT = 1000
#: What a button carries: "r:<the session's rating token>:<value>". The
#: token names the session; Telegram allows 64 bytes of callback data.
BUTTON_DATA = re.compile(r"^r:([A-Za-z0-9_-]{20,48}):(good|okay|bad)$")


class RatingError(ValueError):
    """A rating or comment that cannot be taken; the message says why."""


def check(value, comment=None):
    """``(value, comment)`` cleaned: the value one of RATINGS, the comment
    plain text of at most MAX_COMMENT characters, or None (none given).

    :raises RatingError: anything else
    """
    if value not in SCORES:
        raise RatingError("A rating is good, okay or bad.")
    if comment is not None:
        if not isinstance(comment, str):
            raise RatingError("A comment is text.")
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise RatingError("A comment has at most %d characters." % MAX_COMMENT)
        # Control characters other than line breaks and tabs have no place
        # in a comment shown to the staff.
        comment = "".join(ch for ch in comment if ch in "\n\t" or ord(ch) >= 32)
    return value, comment


def button_data(token, value):
    return "r:%s:%s" % (token, value)


def parse_button(data):
    """``(token, value)`` of a button's data, or None when it is not one of
    our rating buttons."""
    match = BUTTON_DATA.match(data) if isinstance(data, str) else None
    return (match.group(1), match.group(2)) if match else None


def button_label(value):
    return "%s %s" % (FACES[value], LABELS[value])

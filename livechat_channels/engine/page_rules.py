"""Website chat rules: on which pages the chat button shows, hides or opens.

An administrator writes a page pattern the way people write addresses, with
``*`` for "anything": ``/shop/*``, ``*/checkout*``, ``https://shop.example.com/*``.
The visitor's window (livechat_visitor.js) decides, on each page, with the
first rule (in sequence) whose pattern matches the page and whose countries,
if any, include the visitor's. The server turns each pattern into a regular
expression once (:func:`pattern_regex`), written in the part of the syntax
that Python and JavaScript read alike, so that the window never parses a
pattern and a pattern can never be a regular expression of its own: every
character but ``*`` is literal, and ``*`` is ``.*``.

A pattern with a scheme (``https://...``) matches the page's whole address
(without its ``#fragment``); any other matches its path and query string
(``/shop/cart?step=2``). Matching ignores case.
"""

import re

MAX_PATTERN = 500
#: Longest time a rule may wait before opening the window (seconds).
MAX_OPEN_DELAY = 3600
#: Characters with a meaning in a regular expression, in Python and in
#: JavaScript: escaped. Every other character is itself in both.
_SPECIAL = set("\\^$.|?*+()[]{}/")
_START_RE = re.compile(r"^(\*|/|https?://)", re.IGNORECASE)


class PatternError(ValueError):
    """A page pattern that cannot be used, with the reason."""


def check_pattern(pattern):
    """The pattern, stripped, or a PatternError saying what is wrong."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("A page pattern is required.")
    pattern = pattern.strip()
    if len(pattern) > MAX_PATTERN:
        raise PatternError("A page pattern has at most %d characters." % MAX_PATTERN)
    if any(ch.isspace() for ch in pattern):
        raise PatternError("A page pattern has no spaces.")
    if not _START_RE.match(pattern):
        raise PatternError(
            "A page pattern starts with / (a path: /shop/*), http:// or "
            "https:// (a whole address) or * (any start)."
        )
    return pattern


def is_full_address(pattern):
    """Whether the pattern matches whole addresses, not paths."""
    return bool(re.match(r"^https?://", pattern, re.IGNORECASE))


def pattern_regex(pattern):
    """The anchored regular expression of ``pattern`` (its source), to be
    used case-insensitively."""
    pattern = check_pattern(pattern)
    parts = []
    for ch in pattern:
        if ch == "*":
            # Several stars in a row mean what one means; one ".*" each
            # would only make matching slower.
            if parts and parts[-1] == ".*":
                continue
            parts.append(".*")
        elif ch in _SPECIAL:
            parts.append("\\" + ch)
        else:
            parts.append(ch)
    return "^%s$" % "".join(parts)

"""Session naming templates.

A live chat names its sessions from a template such as::

    {customer} - {DateTime(created)} - {chat}

Placeholders:

``{customer}``  the account's display name (or its contact's name)
``{chat}``      the live chat's name
``{channel}``   the channel's label (Telegram, Email, ...)
``{DateTime(created)}`` / ``{DateTime(created, "<strftime format>")}``
                the session's creation time in the chat's time zone; without
                a format, an unambiguous date and time that names the zone
                (2026-11-30 19:23 CET): a name read by users of other time
                zones says which time it tells

The template is parsed, never evaluated: an administrator cannot run code
through it, and an unknown placeholder is refused when the chat is saved.
"""

import re

import pytz

DEFAULT_TEMPLATE = "{customer} - {DateTime(created)} - {chat}"
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M %Z"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DATETIME = re.compile(
    r"""^DateTime\(\s*created\s*(?:,\s*(?P<q>["'])(?P<fmt>[^"']*)(?P=q)\s*)?\)$"""
)
_SIMPLE = ("customer", "chat", "channel")
#: Every placeholder, as the chat's form and its error list them.
PLACEHOLDERS = (
    "{customer}",
    "{chat}",
    "{channel}",
    "{DateTime(created)}",
    '{DateTime(created, "%d.%m.%Y %H:%M")}',
)


class TemplateError(ValueError):
    """The template holds a placeholder we do not know (``placeholder``:
    what was written between the braces)."""

    def __init__(self, placeholder):
        super(TemplateError, self).__init__("Unknown placeholder {%s}" % placeholder)
        self.placeholder = placeholder


def _parse(template):
    """Yield ``(literal, placeholder_kind, argument)`` triples."""
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        literal = template[pos : match.start()]
        expr = match.group(1).strip()
        pos = match.end()
        if expr in _SIMPLE:
            yield literal, expr, None
            continue
        date = _DATETIME.match(expr)
        if date:
            yield literal, "datetime", date.group("fmt") or DEFAULT_DATE_FORMAT
            continue
        raise TemplateError(expr)
    yield template[pos:], None, None


def check_template(template):
    """Raise :class:`TemplateError` if ``template`` cannot be rendered."""
    for _literal, _kind, _arg in _parse(template or ""):
        pass


def render(template, customer, chat, channel, created, tz_name="UTC"):
    """Render ``template``; ``created`` is a naive UTC datetime."""
    tz = pytz.timezone(tz_name or "UTC")
    local = pytz.utc.localize(created).astimezone(tz)
    values = {"customer": customer or "", "chat": chat or "", "channel": channel or ""}
    parts = []
    for literal, kind, arg in _parse(template or DEFAULT_TEMPLATE):
        parts.append(literal)
        if kind == "datetime":
            parts.append(local.strftime(arg))
        elif kind:
            parts.append(values[kind])
    return "".join(parts).strip()


_SIMPLE_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text, values):
    """Replace ``{name}`` placeholders present in ``values``; anything else
    in braces is left as typed (response templates are free text)."""
    return _SIMPLE_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

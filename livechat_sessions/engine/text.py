"""What a customer wrote, turned into the HTML we store.

Every channel hands over either plain text or HTML. Plain text is escaped and
its line breaks kept (``plaintext2html``); HTML goes through Odoo's sanitizer,
which drops scripts, event handlers and ``javascript:`` links. The raw input is
never stored.
"""
from odoo.tools import html_sanitize, plaintext2html

#: Longest body accepted, in characters of the *input*. Long enough for any
#: chat message or ordinary email, short enough that one customer cannot fill
#: the operators' screens or the database. Channels split or attach longer text.
MAX_BODY_LENGTH = 20000


class BodyError(ValueError):
    """The body is empty or too long."""


def to_html(body, body_type="text"):
    """Return the sanitized HTML to store for ``body``.

    :param body_type: ``'text'`` or ``'html'``
    :raises BodyError: empty (after sanitizing) or longer than MAX_BODY_LENGTH
    """
    if body_type not in ("text", "html"):
        raise BodyError("Unknown body type %r: use 'text' or 'html'." % body_type)
    if not isinstance(body, str):
        raise BodyError("The message body must be a string.")
    if len(body) > MAX_BODY_LENGTH:
        raise BodyError(
            "The message is %d characters long; the limit is %d."
            % (len(body), MAX_BODY_LENGTH)
        )
    if not body.strip():
        raise BodyError("The message is empty.")
    if body_type == "text":
        # Escaped text that is not blank always shows: no parse needed.
        return plaintext2html(body.strip())
    html = html_sanitize(body)
    if not html_has_content(html):
        raise BodyError("The message is empty once unsafe content is removed.")
    return html


def html_has_content(html):
    """True when ``html`` shows some text or an image."""
    from lxml import html as lxml_html

    if not html:
        return False
    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # pylint: disable=broad-except
        # lxml raises ParserError on markup that is only whitespace or comments.
        return False
    return bool(tree.text_content().strip()) or bool(tree.xpath("//img"))

"""What a customer or an operator wrote, turned into the HTML we store.

Every channel hands over either plain text or HTML. Plain text is escaped and
its line breaks kept (``plaintext2html``). HTML keeps only a strict
allowlist of our own (:func:`sanitize`), not Odoo's ``html_sanitize``
defaults: those keep ``class``, ``style``, ``id`` and ``data-*`` attributes,
and the web client's Bootstrap 3 data-API acts on ``data-toggle`` /
``data-target`` when such an element is clicked, so a customer's element
could run script in an operator's session, or cover the whole screen with a
``position: fixed`` style. The raw input is never stored.
"""

import re
from html import escape

from lxml import etree
from lxml import html as lxml_html

from odoo.tools import plaintext2html

#: Longest body accepted, in characters of the *input*. Long enough for any
#: chat message or ordinary email, short enough that one customer cannot fill
#: the operators' screens or the database. Channels split or attach longer text.
MAX_BODY_LENGTH = 20000

#: The only tags a stored body keeps: text formatting, quotes, code, lists
#: and links. Every attribute is dropped, but a link's checked ``href``.
ALLOWED_TAGS = frozenset(
    (
        "p",
        "br",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "blockquote",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "a",
    )
)
#: Tags dropped with everything inside them: their content is code, styles,
#: a document's head or another document, not text for a conversation.
DROPPED_WITH_CONTENT = frozenset(
    (
        "script",
        "style",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "textarea",
        "select",
        "option",
        "button",
        "audio",
        "video",
        "canvas",
        "xml",
        "param",
        "source",
        "track",
        "picture",
    )
)
#: Where a link may lead. Anything else (``javascript:``, ``data:``,
#: ``vbscript:``, relative addresses that would act on Odoo itself) loses
#: its ``href``.
SAFE_HREF = re.compile(r"^(?:https?://[^\s]|mailto:[^\s])", re.IGNORECASE)
#: Characters browsers ignore or strip inside a URL's scheme.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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
    html = sanitize(body)
    if not html_has_content(html):
        raise BodyError("The message is empty once unsafe content is removed.")
    return html


def safe_href(href):
    """``href`` if it is an http(s) or mailto address, else None."""
    if not isinstance(href, str):
        return None
    # Browsers skip tabs and newlines even inside a scheme ("java\tscript:"):
    # what they would read must be a safe address, and so must what we keep.
    kept = CONTROL.sub("", href.strip()).replace(" ", "%20")
    if not (SAFE_HREF.match(URL_NOISE.sub("", href)) and SAFE_HREF.match(kept)):
        return None
    return kept


def sanitize(html):
    """``html`` reduced to :data:`ALLOWED_TAGS`, without any attribute but
    a link's safe ``href`` (with ``rel="noopener noreferrer"`` and
    ``target="_blank"`` added). Other tags are unwrapped (their text kept),
    those of :data:`DROPPED_WITH_CONTENT` removed with their content;
    comments and processing instructions are removed."""
    if not isinstance(html, str) or not html.strip():
        return ""
    # A whole document, so that whatever the input closes or opens (</div>,
    # <html>, <head>...) the parser's <body> holds what a browser would show.
    try:
        document = lxml_html.document_fromstring(
            "<html><body>%s</body></html>" % html.replace("\x00", "")
        )
    except (etree.ParserError, ValueError):
        return ""
    body = document.find("body")
    if body is None:
        return ""
    # Deepest first: an unwrapped element's children are already clean.
    for element in reversed(list(body.iterdescendants())):
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None or tag.lower() in DROPPED_WITH_CONTENT:
            # Comments, processing instructions, entities and dropped tags.
            _remove_keeping_tail(element)
            continue
        tag = tag.lower()
        if tag not in ALLOWED_TAGS:
            element.drop_tag()
            continue
        href = element.get("href") if tag == "a" else None
        element.attrib.clear()
        element.tag = tag
        if tag == "a":
            href = safe_href(href)
            if href:
                element.set("href", href)
                element.set("rel", "noopener noreferrer")
                element.set("target", "_blank")
    parts = [escape(body.text or "", quote=False)]
    parts.extend(lxml_html.tostring(child, encoding="unicode") for child in body)
    return "".join(parts).strip()


def _remove_keeping_tail(element):
    """Remove ``element`` and its content, keeping the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def html_has_content(html):
    """True when ``html`` shows some text."""
    if not html:
        return False
    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # pylint: disable=broad-except
        # lxml raises ParserError on markup that is only whitespace or comments.
        return False
    return bool(tree.text_content().strip())

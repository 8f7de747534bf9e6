"""What a file is, read from its content: never from the name or the type
its sender declares.

Files reach the conversation from messengers, mailboxes, website visitors
and operators. They are stored by the way in as superuser, which skips
Odoo's own downgrade of HTML, SVG and XML uploads to text, and Odoo's
``/web/content`` serves a file inline by its stored type: a file declared
``text/html`` or ``image/svg+xml`` would run script on Odoo's site when an
operator opens it. So the stored type is what the first bytes say, and only
three kinds keep a type of their own:

- raster pictures (JPEG, PNG, GIF, BMP, WebP): shown inline, never run;
- PDF documents;
- plain UTF-8 text, stored ``text/plain``.

Anything else is ``application/octet-stream``: a download, never a page.
"""

import re

OCTET_STREAM = "application/octet-stream"
#: Raster pictures by their first bytes.
RASTER_SIGNATURES = (
    ("image/jpeg", b"\xff\xd8\xff"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/gif", b"GIF87a"),
    ("image/gif", b"GIF89a"),
    ("image/bmp", b"BM"),
)
RASTER_TYPES = frozenset(mimetype for mimetype, _magic in RASTER_SIGNATURES) | {
    "image/webp"
}
PDF_TYPE = "application/pdf"
#: What the conversation may open in a preview: pictures and PDF documents.
PREVIEW_TYPES = RASTER_TYPES | {PDF_TYPE}
#: Control characters that plain text does not hold (tab, newlines and
#: form feed are text).
BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def content_type(content):
    """The MIME type to store for ``content`` (bytes)."""
    if not content:
        return OCTET_STREAM
    for mimetype, magic in RASTER_SIGNATURES:
        if content.startswith(magic):
            return mimetype
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return PDF_TYPE
    if is_plain_text(content):
        return "text/plain"
    return OCTET_STREAM


def is_plain_text(content):
    """UTF-8 text without binary control characters."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not BINARY_CONTROL.search(content)


def clean_name(name, default="file"):
    """A file name as we show and store it: its last path part, printable
    characters only, at most 120 of them."""
    if not isinstance(name, str):
        return default
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:120]
    return name or default

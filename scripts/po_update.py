"""Merge each addon's translations with its freshly exported template.

Run by ``make pot`` after the export. Each ``i18n/<lang>.po`` is rewritten
from the template, entry by entry, with the translation it already had for
that text: the texts the code no longer has go, new texts come in
untranslated (tests/tooling/test_translations.py then names them). A changed
text is translated anew: no fuzzy guesses.

The template is copied as Odoo exported it, not re-serialized: Odoo reads
its own ``#: model:...`` references to know where a translation goes, and a
generic PO library drops those.
"""

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

HEADER = """# Translation of Live Chats for Odoo.
# This file contains the translation of the following modules:
#\t* {addon}
#
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 11.0\\n"
"Report-Msgid-Bugs-To: \\n"
"Last-Translator: Live Chats for Odoo\\n"
"Language-Team: {lang}\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def quote(text):
    return '"%s"' % (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )


def unquote(lines):
    text = "".join(
        re.match(r'^(?:msgid |msgstr )?"(.*)"$', line).group(1) for line in lines
    )
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text
    )


def entries(template_text):
    """The template's entries after its header: (lines before msgstr, msgid)."""
    blocks = template_text.strip("\n").split("\n\n")
    for block in blocks[1:]:
        lines = block.split("\n")
        at_id = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        at_str = next(i for i, line in enumerate(lines) if line.startswith("msgstr "))
        yield lines[:at_str], unquote(lines[at_id:at_str])


def merged(addon, lang, template_text, translations):
    """The PO text of ``lang``, and how many texts it leaves untranslated."""
    out = [HEADER.format(addon=addon, lang=lang)]
    missing = 0
    for lines, text in entries(template_text):
        translation = translations.get(text, "")
        missing += not translation
        out.append("\n".join(lines + ["msgstr " + quote(translation)]) + "\n")
    return "\n".join(out), missing


def update(addon_dir, translations_by_lang=None):
    addon_dir = Path(addon_dir)
    i18n = addon_dir / "i18n"
    template_text = (i18n / ("%s.pot" % addon_dir.name)).read_text(encoding="utf-8")
    langs = translations_by_lang or {}
    for path in sorted(i18n.glob("*.po")):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        langs.setdefault(
            path.stem,
            {
                message.id: message.string
                for message in catalog
                if message.id and message.string and not message.fuzzy
            },
        )
    for lang, translations in sorted(langs.items()):
        text, missing = merged(addon_dir.name, lang, template_text, translations)
        path = i18n / ("%s.po" % lang)
        path.write_text(text, encoding="utf-8")
        print("%s: %d untranslated" % (path, missing))


if __name__ == "__main__":
    for addon in sys.argv[1:]:
        update(addon)

"""Each addon's translations are complete and keep the texts' placeholders.

``make pot`` regenerates ``i18n/<addon>.pot`` from Odoo's exporter and
merges every ``i18n/<lang>.po`` with it (scripts/po_update.py): a text added
to the code shows up here as untranslated until someone translates it.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
ADDONS = sorted(p.parent.name for p in ROOT.glob("livechat_*/__manifest__.py"))
#: %s, %d, %r, %(name)s, and the {customer}-style placeholders of templates.
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdr]|\{[A-Za-z_]+\}")


def _catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("addon", ADDONS)
def test_every_text_is_translated_into_german(addon):
    template = _catalog(ROOT / addon / "i18n" / ("%s.pot" % addon))
    german = _catalog(ROOT / addon / "i18n" / "de.po")
    texts = [message.id for message in template if message.id]
    assert len(texts) > 50, "the template lost its texts"
    missing, broken = [], []
    for text in texts:
        message = german.get(text)
        if message is None or not message.string or message.fuzzy:
            missing.append(text)
        elif _placeholders(message.string) != _placeholders(text):
            broken.append((text, message.string))
    assert not missing, "untranslated in %s/i18n/de.po: %r" % (addon, missing[:10])
    assert not broken, "placeholders differ: %r" % broken[:10]


def test_placeholder_check_catches_a_lost_placeholder():
    assert _placeholders("Session %s is handled by %s.") != _placeholders(
        "Die Sitzung %s wird bearbeitet."
    )
    assert _placeholders("Hello {customer}") == _placeholders("Hallo {customer}")

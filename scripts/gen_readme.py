"""Each addon's README.rst, made from its manifest and readme/ fragments, in
the layout of the OCA's generated READMEs (without their badges, which
point to services outside this repository).

    python3 scripts/gen_readme.py           # write every addon's README.rst
    python3 scripts/gen_readme.py --check   # exit 1 if one is out of date

Fragments, in this order: DESCRIPTION.rst (required), CONFIGURE.rst
("Configuration"), USAGE.rst ("Usage"), HISTORY.rst ("Changelog"), and
CONTRIBUTORS.rst (under "Credits").
"""

import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = [
    ("CONFIGURE.rst", "Configuration"),
    ("USAGE.rst", "Usage"),
    ("HISTORY.rst", "Changelog"),
]
NOTICE = (
    ".. This file is generated from readme/*.rst and __manifest__.py by\n"
    "   scripts/gen_readme.py (make readme): edit those, not this.\n"
)


def addons():
    return sorted(
        name
        for name in os.listdir(ROOT)
        if os.path.isfile(os.path.join(ROOT, name, "__manifest__.py"))
    )


def fragment(addon, name):
    path = os.path.join(ROOT, addon, "readme", name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip() + "\n"


def title(text, char, over=False):
    line = char * len(text)
    return "%s%s\n%s\n" % (line + "\n" if over else "", text, line)


def render(addon):
    with open(os.path.join(ROOT, addon, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    description = fragment(addon, "DESCRIPTION.rst")
    if not description:
        raise SystemExit("%s has no readme/DESCRIPTION.rst" % addon)
    parts = [
        NOTICE,
        title(manifest["name"], "=", over=True),
        "**%s**\n" % manifest["summary"],
        "Version %s, %s, licence %s.\n"
        % (
            manifest["version"],
            manifest.get("development_status", "Beta"),
            manifest["license"],
        ),
        description,
        "**Table of contents**\n\n.. contents::\n   :local:\n",
    ]
    for name, heading in SECTIONS:
        text = fragment(addon, name)
        if text:
            parts.append(title(heading, "="))
            parts.append(text)
    parts.append(title("Credits", "="))
    parts.append(title("Authors", "~"))
    parts.append(
        "".join("* %s\n" % author.strip() for author in manifest["author"].split(","))
    )
    contributors = fragment(addon, "CONTRIBUTORS.rst")
    if contributors:
        parts.append(title("Contributors", "~"))
        parts.append(contributors)
    return "\n".join(parts)


def main(argv):
    check = "--check" in argv
    stale = []
    for addon in addons():
        path = os.path.join(ROOT, addon, "README.rst")
        text = render(addon)
        current = open(path, encoding="utf-8").read() if os.path.isfile(path) else None
        if current == text:
            continue
        if check:
            stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print("wrote %s" % os.path.relpath(path, ROOT))
    if stale:
        print("Out of date (run make readme): %s" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

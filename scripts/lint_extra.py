"""Checks of the OCA's 11.0 lint that today's pylint-odoo no longer makes,
and the project's own XML/QWeb rule. Prints one line per problem and exits
1 if there is any.

- rst: every readme/*.rst fragment and README.rst parses without a warning
  (docutils), as the OCA's rst-syntax-error did;
- manifest dependencies: every Python library an addon imports (not the
  standard library, not Odoo or its addons) is declared in its manifest's
  ``external_dependencies``, as missing-manifest-dependency did;
- XML: every data file and QWeb template is well-formed;
- QWeb: ``t-raw`` (markup rendered as is) only where a comment right above
  says why it is safe: everything else is rendered escaped.
"""

import ast
import io
import os
import sys

from docutils.core import publish_doctree
from docutils.utils import Reporter
from lxml import etree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Top-level modules that are Odoo's or come with its Python.
PROVIDED = {
    "odoo",
    "psycopg2",
    "werkzeug",
    "lxml",
    "babel",
    "dateutil",
    "pytz",
    "PIL",
    "jinja2",
    "passlib",
    "requests_toolbar",
}


def addons():
    return sorted(
        name
        for name in os.listdir(ROOT)
        if os.path.isfile(os.path.join(ROOT, name, "__manifest__.py"))
    )


def files(addon, extension):
    for folder, _dirs, names in os.walk(os.path.join(ROOT, addon)):
        for name in names:
            if name.endswith(extension):
                yield os.path.join(folder, name)


def check_rst(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    stream = io.StringIO()
    publish_doctree(
        text,
        source_path=path,
        settings_overrides={
            "report_level": Reporter.WARNING_LEVEL,
            "halt_level": Reporter.SEVERE_LEVEL + 1,
            "warning_stream": stream,
        },
    )
    return [
        "%s: %s" % (os.path.relpath(path, ROOT), line)
        for line in stream.getvalue().splitlines()
        if line.strip()
    ]


def imported_modules(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.split(".")[0]


def check_dependencies(addon):
    with open(os.path.join(ROOT, addon, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    declared = set(manifest.get("external_dependencies", {}).get("python", []))
    problems = []
    for path in files(addon, ".py"):
        if os.sep + "tests" + os.sep in path:
            continue  # test-only libraries are the tests' business
        for module in set(imported_modules(path)):
            if (
                module in sys.stdlib_module_names
                or module in PROVIDED
                or module in declared
            ):
                continue
            problems.append(
                "%s: imports %s, missing from the manifest's "
                "external_dependencies" % (os.path.relpath(path, ROOT), module)
            )
    return problems


def check_xml(path):
    try:
        tree = etree.parse(path)
    except etree.XMLSyntaxError as error:
        return ["%s: not well-formed: %s" % (os.path.relpath(path, ROOT), error)]
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or "t-raw" not in element.attrib:
            continue
        previous = element.getprevious()
        parent = element.getparent()
        comment = (
            previous
            if previous is not None
            else (parent.getprevious() if parent is not None else None)
        )
        if comment is None or not isinstance(comment, etree._Comment):
            problems.append(
                "%s:%d: t-raw without a comment saying why the markup "
                "is safe" % (os.path.relpath(path, ROOT), element.sourceline)
            )
    return problems


def main():
    problems = []
    for addon in addons():
        for name in sorted(os.listdir(os.path.join(ROOT, addon, "readme"))):
            problems += check_rst(os.path.join(ROOT, addon, "readme", name))
        problems += check_rst(os.path.join(ROOT, addon, "README.rst"))
        problems += check_dependencies(addon)
        for path in files(addon, ".xml"):
            problems += check_xml(path)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

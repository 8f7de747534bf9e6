"""Reads pytest's JUnit XML for scripts/test.sh.

  junit.py counts FILE   tests failures errors skipped (one line)
  junit.py failed FILE   the node ids of the failed tests, one a line
  junit.py passed FILE   the node ids of the passed tests, one a line
"""

import sys
import xml.etree.ElementTree as ET


def suite(path):
    root = ET.parse(path).getroot()
    return root if root.tag == "testsuite" else root.find("testsuite")


def main(command, path):
    try:
        found = suite(path)
    except (OSError, ET.ParseError):
        found = None
    if command == "counts":
        if found is None:
            print(0, 0, 1, 0)
            return
        attrs = found.attrib
        print(
            attrs.get("tests", 0),
            attrs.get("failures", 0),
            attrs.get("errors", 0),
            attrs.get("skipped", 0),
        )
    elif command in ("failed", "passed") and found is not None:
        for case in found.iter("testcase"):
            failed = any(
                case.find(tag) is not None for tag in ("failure", "error", "skipped")
            )
            if failed == (command == "failed"):
                print(node_id(case))


def node_id(case):
    """ "tests.browser.test_x" + "test_y" -> tests/browser/test_x.py::test_y;
    an error outside a test (a module that could not be collected) has no
    class name: its name is the module's path."""
    module = case.get("classname", "")
    if not module:
        return case.get("name", "").replace(".", "/") + ".py"
    return "%s.py::%s" % (module.replace(".", "/"), case.get("name"))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Reads pytest's JUnit XML for scripts/test.sh.

  junit.py counts FILE   tests failures errors skipped (one line)
  junit.py failed FILE   the node ids of the failed tests, one a line
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
        print(attrs.get("tests", 0), attrs.get("failures", 0), attrs.get("errors", 0),
              attrs.get("skipped", 0))
    elif command == "failed" and found is not None:
        for case in found.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                # "tests.browser.test_x" + "test_y" -> tests/browser/test_x.py::test_y
                module = case.get("classname", "").replace(".", "/")
                print("%s.py::%s" % (module, case.get("name")))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""JUnit XML, for CI systems that show test reports: one test suite per file, one failed test
case per finding (named ``org.wflint.CODE``, with the file, line and column); a clean run is
one passing test case."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from wflint.diagnostics import Diagnostic
from wflint.output.source import Sources


def render(diagnostics: Sequence[Diagnostic], sources: Sources) -> str:
    total = str(len(diagnostics))
    root = ElementTree.Element("testsuites", name="wflint", tests=total, failures=total, errors="0")
    if not diagnostics:
        root.set("tests", "1")
        suite = ElementTree.SubElement(root, "testsuite", name="wflint", tests="1", failures="0",
                                       errors="0")
        ElementTree.SubElement(suite, "testcase", name="No findings", classname="wflint")
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    for path, found in by_path.items():
        count = str(len(found))
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests=count, failures=count,
                                       errors="0")
        for d in found:
            col = sources.char_col(d.path, d.line, d.col)
            case = ElementTree.SubElement(suite, "testcase", name=f"org.wflint.{d.code}",
                                          classname=path, line=str(d.line), column=str(col))
            failure = ElementTree.SubElement(case, "failure", message=d.message,
                                             type=d.severity)
            failure.text = f"line {d.line}, col {col}, {d.code} {d.message}"
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"

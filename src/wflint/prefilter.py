"""The byte-level gate: which files can contain workflow code at all.

A file is parsed only when its bytes mention one of the enabled frameworks (or a
configured workflow decorator). On ordinary code this skips almost every file
after a handful of ``bytes.find`` calls, which is what keeps wflint cheaper than
a general-purpose linter there.
"""

from __future__ import annotations

from wflint.frameworks import FRAMEWORKS, SELECTABLE


def markers_for(frameworks: tuple[str, ...] | None, workflow_decorators: tuple[str, ...]) -> tuple[bytes, ...]:
    names = frameworks if frameworks is not None else SELECTABLE
    markers: list[bytes] = []
    for name in names:
        markers.extend(FRAMEWORKS[name].markers)
    for decorator in workflow_decorators:
        # the decorator's own name appears wherever it is applied
        markers.append(decorator.rpartition(".")[2].encode())
    return tuple(dict.fromkeys(markers))


def may_contain_workflows(data: bytes, markers: tuple[bytes, ...]) -> bool:
    return any(marker in data for marker in markers)

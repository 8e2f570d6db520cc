"""The byte-level gate: which files can contain workflow code at all.

A file is parsed only when its bytes mention one of the enabled frameworks and one of the ways
that framework declares, registers or starts a workflow (``defn``, ``register_workflow``, a
context type's name, ``yield ctx.call_activity(`` where orchestrators are recognised by their
shape), or a configured workflow decorator. On ordinary code this skips almost every file
after a handful of ``bytes.find`` calls, and in a framework's own repository it skips the
modules that use the framework without declaring workflows (their code is still followed, on
demand, when a workflow calls into it).
"""

from __future__ import annotations

import functools
from collections import Counter
import re
from dataclasses import dataclass, field

from wflint.frameworks import FRAMEWORKS, SELECTABLE


@dataclass(frozen=True)
class Markers:
    """What a file's bytes must contain to be parsed: for some framework, its mention and one
    of its declaration markers (none listed: the mention suffices), spelled as a declaration
    spells it where the framework says how (the marker's shape); or any ``extra`` marker."""

    #: (a framework's mention, its declaration markers, each with its shape or None)
    frameworks: tuple[tuple[bytes, tuple[tuple[bytes, re.Pattern[bytes] | None], ...]], ...]
    extra: tuple[bytes, ...] = ()
    #: fewer byte strings than mentions, one of which every mention contains (``durable``
    #: for ``durabletask`` and ``durable_functions``): a file containing none of them mentions
    #: no framework (empty: the mentions themselves are searched for)
    gate: tuple[bytes, ...] = ()
    #: the last file's bytes and the frameworks they mention (asked by match, then mentions)
    _last: list = field(default_factory=lambda: [None], compare=False, repr=False)

    def _mentioned(self, data: bytes) -> tuple:
        """The entries of :attr:`frameworks` whose mention ``data`` contains: searched once
        per file (a search reads the whole file)."""
        last = self._last[0]
        if last is not None and last[0] is data:
            return last[1]
        found = () if self.gate and not any(word in data for word in self.gate) else \
            tuple(entry for entry in self.frameworks if entry[0] in data)
        self._last[0] = (data, found)  # one assignment: a thread never sees half of it
        return found

    def match(self, data: bytes) -> bool:
        """Whether the file may declare workflow code itself: it imports a framework (the
        mention on an import line: a framework is enabled only by an import) and spells one of
        its declarations."""
        if any(marker in data for marker in self.extra):
            return True
        return any((not declarations or any(
            marker in data and (shape is None or shape.search(data) is not None)
            for marker, shape in declarations)) and _imported(mention).search(data) is not None
            for mention, declarations in self._mentioned(data))

    def mentions(self, data: bytes) -> bool:
        """Whether the file mentions a framework and one of its declaration markers, spelled in
        any way: it may register workflows or activities that other modules declare."""
        if any(marker in data for marker in self.extra):
            return True
        return any(not declarations or any(marker in data for marker, _ in declarations)
                   for _, declarations in self._mentioned(data))


@functools.cache
def _imported(mention: bytes) -> re.Pattern[bytes]:
    """``mention`` on an import line (``from``/``import`` before it on the line, which may be
    continued by a backslash), wherever the line is: in a function, after ``:`` or ``;``."""
    return re.compile(rb"\b(?:import|from)\b(?:[^\n\\]|\\\r?\n|\\)*?" + re.escape(mention))


def markers_for(frameworks: tuple[str, ...] | None, workflow_decorators: tuple[str, ...]) -> Markers:
    names = frameworks if frameworks is not None else SELECTABLE
    pairs: list[tuple[bytes, tuple[tuple[bytes, re.Pattern[bytes] | None], ...]]] = []
    for name in names:
        framework = FRAMEWORKS[name]
        shapes = framework.marker_shapes
        declarations = tuple((marker, re.compile(shapes[marker]) if marker in shapes else None)
                             for marker in framework.declaration_markers())
        pairs.extend((marker, declarations) for marker in framework.markers)
    # a configured decorator's own name appears wherever it is applied
    extra = tuple(dict.fromkeys(d.rpartition(".")[2].encode() for d in workflow_decorators))
    frameworks = tuple(dict.fromkeys(pairs))
    return Markers(frameworks, extra, gate_words(tuple(dict.fromkeys(m for m, _ in frameworks))))


@functools.cache
def gate_words(words: tuple[bytes, ...], shortest: int = 4) -> tuple[bytes, ...]:
    """Byte strings one of which each of ``words`` contains, fewer where words share a part of
    ``shortest`` bytes or more: the part shared by the most words first (the longest of those),
    then the next, until every word is covered. Data that contains none of them contains none
    of ``words``, found in fewer searches."""
    left = set(words)
    gate: list[bytes] = []
    while left:
        # how many words hold each part: the parts of a word are counted once per word
        holding: Counter[bytes] = Counter()
        for word in left:
            holding.update({word[i:j] for i in range(len(word))
                            for j in range(i + shortest, len(word) + 1)})
        for word in left:
            if len(word) < shortest:  # a short word is a part as a whole
                holding[word] = sum(word in other for other in left)
        best = max(sorted(holding), key=lambda part: (holding[part], len(part)))
        gate.append(best)
        left = {m for m in left if best not in m}
    return tuple(gate)


def may_contain_workflows(data: bytes, markers: Markers) -> bool:
    return markers.match(data)

"""YAML parsed into plain values that remember their line, with no implicit typing.

Every scalar stays a string (``2025-02-30`` is not silently turned into a date or an error
without a line); the fact loader types values against the ontology.

Bounded (see :mod:`okg.loaders.limits`): at most ``OKG_MAX_YAML_ALIASES`` alias uses, a document
whose aliases would expand beyond ``OKG_MAX_FILE_BYTES`` is refused before anything is expanded
(its size is computed on the composed node graph, each shared node once), recursive aliases and
too-deep nesting are refused, and no scalar may be over ``OKG_MAX_VALUE_BYTES``.

>>> parse_yaml("a: &x [1, 2]\\nb: *x")  # doctest: +ELLIPSIS
Map(items={'a': Seq(...), 'b': Seq(...)}, line=1, ...)
>>> try:
...     parse_yaml("a: &a [x, x]\\nb: &b [*a, *a]\\nc: [*b, *b]", limits_from({"OKG_MAX_YAML_ALIASES": "3"}))
... except YamlSyntaxError as exc:
...     print(exc.line, exc)
3 too many YAML aliases: more than 3 (OKG_MAX_YAML_ALIASES)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from okg.loaders.limits import (  # noqa: F401  (limits_from: used by the examples above)
    Limits,
    current,
    limits_from,
    line_col,
    utf8_size,
    value_too_big,
)

MAX_DEPTH = 200
"""Nesting deeper than this is refused (PyYAML's composer is recursive)."""


@dataclass
class Scalar:
    value: str
    line: int
    quoted: bool = False

    def __str__(self) -> str:
        return self.value


@dataclass
class Seq:
    items: list
    line: int


@dataclass
class Map:
    items: dict[str, object]
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.items.get(key, default)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str, field: str | None = None):
        self.line = line
        self.field = field
        super().__init__(message)


# libyaml's composer (PyYAML's C extension, when built with it) reads fact files about 5x faster
# than the pure-Python one and builds the same node tree with the same marks; the safe loader
# either way (no tags resolved to objects: the tree is only composed, never constructed).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _char_offset(text: str, position: int) -> int:
    """The character offset of a reader error: libyaml counts UTF-8 bytes, PyYAML characters."""
    if _LOADER is not yaml.SafeLoader:
        position = len(text.encode("utf-8")[: max(0, position)].decode("utf-8", "ignore"))
    return max(0, min(position, len(text)))


def _line(node) -> int:
    return node.start_mark.line + 1


def parse_yaml(text: str, limits: Limits | None = None):
    """Parse one YAML document into Map / Seq / Scalar nodes (None for an empty document)."""
    limits = limits or current()
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1,000 levels)
            raise YamlSyntaxError(
                line, f"YAML nested too deeply (more than {MAX_DEPTH} levels)"
            ) from None
        raise YamlSyntaxError(line, f"malformed YAML: {exc.problem or exc}") from None
    except RecursionError:
        raise YamlSyntaxError(
            None, f"YAML nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: where is it?
        line, col = line_col(text, _char_offset(text, exc.position))
        raise YamlSyntaxError(
            line, f"character #x{exc.character:04x} at column {col} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"malformed YAML: {str(exc).splitlines()[0]}") from None
    if node is None:
        return None
    _check_expansion(node, limits)
    return _convert(node, "", limits)


def _children(node, path: str) -> list[tuple[object, str]]:
    """A collection node's children, each with its key path (``a.b[2]``; a key's own path is
    its mapping's)."""
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[object, str]] = []
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else "?"
            name = name if len(name) <= 200 else name[:200] + "…"
            out += [(k, path or "(top)"), (v, f"{path}.{name}" if path else name)]
        return out
    return [(c, f"{path or '(top)'}[{i}]") for i, c in enumerate(node.value)]


def _check_expansion(root, limits: Limits) -> None:
    """Refuse alias bombs and cycles on the composed graph, visiting each shared node once.

    A refusal names the line and the key path of the node using the alias (for a node that
    several keys share, the path where the walk first met it)."""
    size: dict[int, int] = {}  # node id -> expanded size (bytes of scalars + 1 per node)
    on_path: set[int] = set()
    aliases = 0
    budget = limits.max_file_bytes

    def too_many(line: int, path: str) -> YamlSyntaxError:
        return YamlSyntaxError(
            line,
            f"too many YAML aliases: more than {limits.max_yaml_aliases} (OKG_MAX_YAML_ALIASES)",
            path or "(top)",
        )

    def recursive(line: int, path: str) -> YamlSyntaxError:
        return YamlSyntaxError(
            line, "recursive YAML alias (a node contains itself)", path or "(top)"
        )

    # iterative post-order walk: (node, depth, children done?, line and path where it is used)
    # an alias is the anchored node itself, so a refusal names the line of the node using it
    stack: list[tuple[object, int, bool, int, str]] = [(root, 0, False, _line(root), "")]
    while stack:
        node, depth, done, used_at, path = stack.pop()
        nid = id(node)
        if done:
            on_path.discard(nid)
            total = 1 + sum(size[id(c)] for c, _ in _children(node, path))
            if total > budget:
                raise YamlSyntaxError(
                    _line(node),
                    f"YAML aliases expand this node beyond {budget:,} bytes (OKG_MAX_FILE_BYTES)",
                    path or "(top)",
                )
            size[nid] = total
            continue
        if nid in size:
            aliases += 1
            if aliases > limits.max_yaml_aliases:
                raise too_many(used_at, path)
            continue
        if nid in on_path:
            raise recursive(_line(node), path)
        if isinstance(node, yaml.ScalarNode):
            size[nid] = 1 + utf8_size(node.value)
            continue
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(
                _line(node), f"YAML nested too deeply (more than {MAX_DEPTH} levels)", path or None
            )
        on_path.add(nid)
        stack.append((node, depth, True, used_at, path))
        for child, child_path in reversed(_children(node, path)):
            if id(child) in size:  # an alias of a finished node: counted, not walked again
                aliases += 1
                if aliases > limits.max_yaml_aliases:
                    raise too_many(_line(node), child_path)
                continue
            if id(child) in on_path:
                raise recursive(_line(node), child_path)
            stack.append((child, depth + 1, False, _line(node), child_path))


def _convert(node, path: str, limits: Limits):
    line = _line(node)
    if isinstance(node, yaml.ScalarNode):
        too_big = value_too_big(node.value, limits)
        if too_big:
            raise YamlSyntaxError(line, too_big, path or None)
        quoted = node.style in ("'", '"')
        return Scalar(node.value, line, quoted)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(n, path, limits) for n in node.value], line)
    if isinstance(node, yaml.MappingNode):
        out = Map({}, line)
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise YamlSyntaxError(_line(k), "mapping keys must be plain names")
            if k.value in out.items:
                raise YamlSyntaxError(_line(k), f"duplicate key '{k.value}'")
            key = k.value if len(k.value) <= 200 else k.value[:200] + "…"
            out.items[k.value] = _convert(v, f"{path}.{key}" if path else key, limits)
            out.key_lines[k.value] = _line(k)
        return out
    raise YamlSyntaxError(line, "unsupported YAML node")  # pragma: no cover - aliases resolve above


def to_plain(node):
    """Strip line information (for diagnostics and tests)."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [to_plain(i) for i in node.items]
    if isinstance(node, Map):
        return {k: to_plain(v) for k, v in node.items.items()}
    return node

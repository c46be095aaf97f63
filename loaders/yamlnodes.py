"""YAML parsed into plain values that remember their line, with no implicit typing.

Every scalar stays a string (``2025-02-30`` is not silently turned into a date or an error
without a line); the fact loader types values against the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


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
    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(message)


def parse_yaml(text: str):
    """Parse one YAML document into Map / Seq / Scalar nodes (None for an empty document)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, f"malformed YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"malformed YAML: {exc}") from None
    return None if node is None else _convert(node)


def _convert(node):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        quoted = node.style in ("'", '"')
        return Scalar(node.value, line, quoted)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(n) for n in node.value], line)
    if isinstance(node, yaml.MappingNode):
        out = Map({}, line)
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise YamlSyntaxError(k.start_mark.line + 1, "mapping keys must be plain names")
            if k.value in out.items:
                raise YamlSyntaxError(k.start_mark.line + 1, f"duplicate key '{k.value}'")
            out.items[k.value] = _convert(v)
            out.key_lines[k.value] = k.start_mark.line + 1
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

"""Registry CSVs with their own headers, read through a declarative mapping (docs/facts.md).

``registry.csv`` with ``registry.mapping.yaml`` beside it (same stem, as ``FILE.source.yaml``)
is read row by row into the same records as a CSV with okg's own headers, then checked by the
same rules (:mod:`okg.loaders.facts`). The mapping is data, read with the bounded YAML reader
(:mod:`okg.loaders.yamlnodes`); it has no expressions:

- ``columns:`` maps each header of the CSV to a fact-file key (``"Numéro SIREN": siren``,
  ``"Dénomination": label@fr``), or to several (a list), each in the short form (the key) or
  the long form ``{to: KEY, values: {CELL: VALUE, ...}, prefix: TEXT, split: CHAR}``: a value
  map (a cell not listed is an error, never passed through), a text put before each value (for
  ids), a separator for several values in one cell (none by default);
- ``ignore:`` lists the columns left out on purpose; any other column of the header is an error
  naming it, so nothing is dropped silently;
- ``constants:`` gives keys with one value for every row (``type: Firm``, ``country: FR``);
- ``quote: row`` makes each record's quote the row as written in the file (with ``file:`` in
  the source block naming the CSV, the quotes are verified in it);
- ``delimiter:`` is ``","`` (the default), ``";"`` or a tab;
- ``source:`` and ``modules:`` as in a fact file, here or in ``FILE.source.yaml`` (not both).

Errors name the CSV line and both the user's column and the okg key it maps to
(``registry.csv:14: [Numéro SIREN → siren] …``); an error of the mapping itself names the
mapping file, its line and key; an error of a constant names the constant's line, once.

>>> from okg.loaders.errors import ErrorSink
>>> sink = ErrorSink("r.mapping.yaml")
>>> m = parse_mapping("columns:\\n  Nom: label@fr\\n  Num: [siren, {to: id, prefix: f-}]\\n", sink)
>>> [(r.column, r.key, r.prefix) for rules in m.columns.values() for r in rules]
[('Nom', 'label@fr', ''), ('Num', 'siren', ''), ('Num', 'id', 'f-')]
>>> parse_mapping("columns: {A: id, B: id}\\n", sink) and None
>>> print(sink.errors[-1])
r.mapping.yaml:1: [columns.B] duplicate target 'id': column 'A' (line 1) maps to it too
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from okg.loaders.errors import ErrorSink, FactError
from okg.loaders.facts import RECORD_KEYS
from okg.loaders.limits import InputRefused, read_text
from okg.loaders.yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse_yaml
from okg.terms.namespaces import OKG

TOP_KEYS = {"okg", "source", "modules", "columns", "ignore", "constants", "quote", "delimiter"}
RULE_KEYS = {"to", "values", "prefix", "split"}
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t"}
ARROW = "→"


def mapping_path(csv_path: Path) -> Path:
    """``registry.csv`` -> ``registry.mapping.yaml``."""
    return csv_path.with_name(csv_path.name[: -len(".csv")] + ".mapping.yaml")


def name(text: str) -> str:
    """Column names are compared in NFC with outer spaces removed (é composed or not)."""
    return unicodedata.normalize("NFC", text).strip()


@dataclass
class Rule:
    """One column to one okg key."""

    column: str
    key: str
    line: int
    values: dict[str, str] | None = None
    values_line: int = 0
    prefix: str = ""
    split: str | None = None


@dataclass
class Mapping:
    file: str
    columns: dict[str, list[Rule]] = field(default_factory=dict)
    column_lines: dict[str, int] = field(default_factory=dict)
    ignore: dict[str, int] = field(default_factory=dict)
    constants: dict[str, tuple[object, int]] = field(default_factory=dict)
    quote_row: int = 0  # the line of ``quote: row``, 0 when absent
    delimiter: str = ","
    meta: dict[str, tuple[object, int]] = field(default_factory=dict)  # source, modules

    def origin(self) -> dict[str, tuple[str, object]]:
        """Record key -> ("column", name) | ("constant", line) | ("row", line)."""
        out: dict[str, tuple[str, object]] = {}
        for rules in self.columns.values():
            for r in rules:
                out[r.key] = ("column", r.column)
        for key, (_node, line) in self.constants.items():
            out[key] = ("constant", line)
        if self.quote_row:
            out["quote"] = ("row", self.quote_row)
        return out


def read_mapping(path: Path, voc, sink: ErrorSink) -> Mapping | None:
    """The mapping file, its errors in *sink* (named by the mapping file); None when wrong."""
    try:
        text = read_text(path)
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
        return None
    return parse_mapping(text, sink, voc)


def _text(node, sink: ErrorSink, line: int, where: str) -> str | None:
    if isinstance(node, Scalar) and node.value.strip():
        return node.value.strip()
    sink.add(getattr(node, "line", line), where, "expected a text")
    return None


def _key_problem(key: str, voc) -> str | None:
    """Why *key* is not a fact-file key (None when it is one)."""
    if voc is None or key in RECORD_KEYS:
        return None
    if key.startswith("label@"):
        lang = key.split("@", 1)[1]
        if lang in voc.keyed_individuals(OKG.Language):
            return None
        return f"unknown language code '{lang}' in '{key}'"
    if key in voc.by_key:
        return None
    if ":" in key:
        iri = voc.expand(key)
        if iri is not None and iri in voc.properties:
            return None
    known = sorted(RECORD_KEYS | set(voc.by_key))
    near = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return (
        f"unknown okg key '{key}'; expected id, type, label@LANG, quote or a fact-file key "
        f"of docs/facts.md{hint}"
    )


def _rule(column: str, node, line: int, voc, sink: ErrorSink) -> Rule | None:
    where = f"columns.{column}"
    if isinstance(node, Scalar):
        key = _text(node, sink, line, where)
        if key is None:
            return None
        problem = _key_problem(key, voc)
        if problem:
            sink.add(node.line, where, problem)
            return None
        return Rule(column, key, node.line)
    if not isinstance(node, Map):
        sink.add(getattr(node, "line", line), where, "expected a key or {to: KEY, values: ...}")
        return None
    ok = True
    for k in node.items:
        if k not in RULE_KEYS:
            sink.add(
                node.line_of(k),
                f"{where}.{k}",
                f"unknown field; expected {', '.join(sorted(RULE_KEYS))}",
            )
            ok = False
    if "to" not in node.items:
        sink.add(
            node.line, f"{where}.to", "required field is missing: the okg key this column gives"
        )
        return None
    key = _text(node.get("to"), sink, node.line_of("to"), f"{where}.to")
    if key is None:
        return None
    problem = _key_problem(key, voc)
    if problem:
        sink.add(node.line_of("to"), f"{where}.to", problem)
        return None
    rule = Rule(column, key, node.line_of("to"))
    values = node.get("values")
    if values is not None:
        if not isinstance(values, Map) or not values.items:
            sink.add(node.line_of("values"), f"{where}.values", "expected a mapping {CELL: VALUE}")
            ok = False
        else:
            rule.values = {}
            rule.values_line = node.line_of("values")
            for cell, target in values.items.items():
                got = _text(target, sink, values.line_of(cell), f"{where}.values.{cell}")
                if got is None:
                    ok = False
                else:
                    rule.values[name(cell)] = got
    if "prefix" in node.items:
        p = node.get("prefix")
        if isinstance(p, Scalar) and p.value.strip() == p.value and p.value:
            rule.prefix = p.value
        else:
            sink.add(node.line_of("prefix"), f"{where}.prefix", "expected a text without spaces")
            ok = False
    if "split" in node.items:
        s = node.get("split")
        if isinstance(s, Scalar) and len(s.value) == 1 and not s.value.isspace():
            rule.split = s.value
        else:
            sink.add(node.line_of("split"), f"{where}.split", "expected one character, e.g. '|'")
            ok = False
    return rule if ok else None


def parse_mapping(text: str, sink: ErrorSink, voc=None) -> Mapping | None:
    """Check a mapping document; with *voc*, its keys against the ontology. None when wrong."""
    before = len(sink.errors)
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        sink.add(exc.line, exc.field, str(exc))
        return None
    if not isinstance(doc, Map):
        sink.add(getattr(doc, "line", 1), None, "expected a mapping with columns:")
        return None
    m = Mapping(sink.file)
    for key in doc.items:
        if key not in TOP_KEYS:
            sink.add(
                doc.line_of(key), key, f"unknown field; expected {', '.join(sorted(TOP_KEYS))}"
            )
    version = doc.get("okg")
    if version is not None and getattr(version, "value", None) != "1":
        sink.add(doc.line_of("okg"), "okg", "unsupported format version; expected 1")
    for key in ("source", "modules"):
        if key in doc.items:
            m.meta[key] = (doc.items[key], doc.line_of(key))
    delim = doc.get("delimiter")
    if delim is not None:
        value = getattr(delim, "value", None)
        if value not in DELIMITERS:
            sink.add(doc.line_of("delimiter"), "delimiter", "expected ',', ';' or a tab ('\\t')")
        else:
            m.delimiter = DELIMITERS[value]
    quote = doc.get("quote")
    if quote is not None:
        if getattr(quote, "value", None) != "row":
            sink.add(
                doc.line_of("quote"),
                "quote",
                "expected 'row' (the row's own text is each record's quote); "
                "map a column to quote under columns: instead",
            )
        else:
            m.quote_row = doc.line_of("quote")
    targets: dict[str, tuple[str, int]] = {}  # key -> (what gives it, line)

    def claim(key: str, who: str, line: int, where: str) -> bool:
        # label (one text) and label@LANG (texts by language) fill the same field
        same = [key, "label"] if key.startswith("label@") else [key]
        if key == "label":
            same += [k for k in targets if k.startswith("label@")]
        taken = next((k for k in same if k in targets), None)
        if taken is not None:
            first, first_line = targets[taken]
            sink.add(
                line,
                where,
                f"duplicate target '{key}': {first} (line {first_line}) maps to "
                + ("it too" if taken == key else f"'{taken}'"),
            )
            return False
        targets[key] = (who, line)
        return True

    if m.quote_row:
        targets["quote"] = ("quote: row", m.quote_row)
    constants = doc.get("constants")
    if constants is not None:
        if not isinstance(constants, Map):
            sink.add(doc.line_of("constants"), "constants", "expected a mapping {KEY: VALUE}")
        else:
            for key, node in constants.items.items():
                line = constants.line_of(key)
                problem = _key_problem(key, voc)
                if key == "id":
                    problem = "every row needs its own id: map a column to id"
                if problem:
                    sink.add(line, f"constants.{key}", problem)
                    continue
                if isinstance(node, Seq):
                    bad = [i for i in node.items if not isinstance(i, Scalar)]
                else:
                    bad = [] if isinstance(node, Scalar) else [node]
                if bad:
                    sink.add(line, f"constants.{key}", "expected a value or a list of values")
                    continue
                if claim(key, f"constant '{key}'", line, f"constants.{key}"):
                    m.constants[key] = (node, line)
    columns = doc.get("columns")
    if not isinstance(columns, Map) or not columns.items:
        sink.add(
            doc.line_of("columns") if "columns" in doc.items else doc.line,
            "columns",
            "required: a mapping of the CSV's column names to okg keys",
        )
    else:
        for column, node in columns.items.items():
            col = name(column)
            line = columns.line_of(column)
            if col in m.columns:
                sink.add(line, f"columns.{column}", f"column '{col}' is listed twice")
                continue
            items = node.items if isinstance(node, Seq) else [node]
            rules = []
            for item in items:
                rule = _rule(col, item, line, voc, sink)
                if rule and claim(rule.key, f"column '{col}'", rule.line, f"columns.{column}"):
                    rules.append(rule)
            m.columns[col] = rules
            m.column_lines[col] = line
    ignore = doc.get("ignore")
    if ignore is not None:
        items = ignore.items if isinstance(ignore, Seq) else [ignore]
        for item in items:
            col = _text(item, sink, doc.line_of("ignore"), "ignore")
            if col is None:
                continue
            col = name(col)
            if col in m.columns:
                sink.add(
                    item.line,
                    "ignore",
                    f"column '{col}' is both mapped (line {m.column_lines[col]}) and ignored",
                )
            m.ignore[col] = item.line
    return None if len(sink.errors) > before else m


def check_header(
    m: Mapping,
    header: list[str],
    csv_sink: ErrorSink,
    map_sink: ErrorSink,
    csv_name: str,
    header_line: int = 1,
) -> None:
    """Every column of the header is mapped or ignored, every mapped column is in the header."""
    seen: set[str] = set()
    for n, col in enumerate(header, start=1):
        label = col or f"column {n}"
        if col in seen:
            csv_sink.add(header_line, label, f"column '{col}' appears twice in the header")
            continue
        seen.add(col)
        if col not in m.columns and col not in m.ignore:
            csv_sink.add(
                header_line,
                label,
                f"column '{label}' is not in {Path(m.file).name}: map it under columns: "
                "or list it under ignore:",
            )
    listed = ", ".join(c or "(empty)" for c in header)
    for col, line in list(m.column_lines.items()) + list(m.ignore.items()):
        if col not in seen:
            where = f"columns.{col}" if col in m.column_lines else "ignore"
            sink_msg = f"column '{col}' is not in the header of {csv_name} ({listed})"
            map_sink.add(line, where, sink_msg)


def record(
    m: Mapping,
    header: list[str],
    cells: list[str],
    line: int,
    raw: str,
    sink: ErrorSink,
) -> Map:
    """One row (cells already bounded and stripped) to the record a fact file would hold."""
    rec = Map({}, line)
    labels = Map({}, line)

    def put(key: str, node) -> None:
        if key.startswith("label@"):
            labels.items[key.split("@", 1)[1]] = node
            labels.key_lines[key.split("@", 1)[1]] = line
            return
        rec.items[key] = node
        rec.key_lines[key] = line

    for col, cell in zip(header, cells, strict=True):
        for rule in m.columns.get(col, ()):
            where = f"{col} {ARROW} {rule.key}"
            parts = [cell] if rule.split is None else [p.strip() for p in cell.split(rule.split)]
            if rule.split is not None and cell and any(not p for p in parts):
                sink.add(line, where, f"an empty value between '{rule.split}' separators")
                continue
            values: list[str] = []
            for part in parts:
                if rule.values is not None and (part or "" in rule.values):
                    if name(part) not in rule.values:
                        listed = ", ".join(sorted(rule.values)[:20])
                        sink.add(
                            line,
                            where,
                            f"'{part}' is not listed under values: of this column in "
                            f"{Path(m.file).name} (line {rule.values_line}); listed: {listed}",
                        )
                        continue
                    part = rule.values[name(part)]
                if part:
                    values.append(rule.prefix + part)
            if not values:
                continue
            if len(values) == 1:
                put(rule.key, Scalar(values[0], line))
            else:
                put(rule.key, Seq([Scalar(v, line) for v in values], line))
    for key, (node, _line) in m.constants.items():
        if isinstance(node, Seq):
            put(key, Seq([Scalar(i.value, line) for i in node.items], line))
        else:
            put(key, Scalar(node.value, line))
    if m.quote_row:
        put("quote", Scalar(raw, line))
    if labels.items:
        rec.items["label"] = labels
        rec.key_lines["label"] = line
    return rec


def translate(errors: list[FactError], m: Mapping) -> list[FactError]:
    """The checker's errors in the user's terms: ``[column → key]``, constants in the mapping."""
    origin = m.origin()
    out: list[FactError] = []
    seen: set[FactError] = set()
    for e in errors:
        f = e.field
        key = f"label@{f.split('.', 1)[1]}" if f and f.startswith("label.") else f
        got = origin.get(key) if key else None
        if got is None and f == "label":
            got = next((origin[k] for k in origin if k.startswith("label@")), None)
        if got is None:
            new = e
            if key in ("id", "type", "quote") and "required" in e.message:
                new = FactError(
                    e.file,
                    e.line,
                    f,
                    f"{e.message}; no column of {Path(m.file).name} maps to {key} "
                    "(columns:) and no constant sets it (constants:)",
                )
        elif got[0] == "column":
            new = FactError(e.file, e.line, f"{got[1]} {ARROW} {f}", e.message)
        elif got[0] == "constant":
            new = FactError(m.file, got[1], f"constants.{key}", e.message)
        else:
            new = FactError(e.file, e.line, f"row {ARROW} quote", e.message)
        if new not in seen:
            seen.add(new)
            out.append(new)
    return out

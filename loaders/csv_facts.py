"""CSV tables of records (firms, contracts, workforce...) with a sidecar source file.

``firms.csv`` needs ``firms.source.yaml`` beside it holding the ``source:`` block (and ``modules:``).
Columns: ``id``, ``type``, ``label@en`` / ``label@fr`` / ``label@ar``, ``quote``, then any
fact-file key. Several values in one cell are separated by ``|``; figures use the text forms of
docs/facts.md (``about 50``, ``more than 80%``, ``15 to 20``). Errors name the CSV line and column;
an error in the sidecar's ``source:`` block names the sidecar and its line.

A CSV with its own headers (a registry export) has ``FILE.mapping.yaml`` beside it instead, which
maps its columns to those keys (:mod:`okg.loaders.csv_mapping`); its rows then become the same
records and pass the same checks.

Both files are bounded like every input (:mod:`okg.loaders.limits`): a cell over
``OKG_MAX_VALUE_BYTES`` is refused with its line and column, whatever the csv module's own field
limit; NUL characters and encoding errors are refused with their line.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from okg.loaders import csv_mapping
from okg.loaders.errors import ErrorSink, FactError
from okg.loaders.facts import SourceBundle
from okg.loaders.limits import InputRefused, read_text, value_too_big
from okg.loaders.registry import Pending, register
from okg.loaders.yaml_facts import read_document
from okg.loaders.yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse_yaml
from okg.terms.vocabulary import Vocabulary
from rdflib import Graph


def _rows(text: str, sink: ErrorSink, delimiter: str = ","):
    """(line, cells) of each record; a malformed record is one error with its line, then stop.

    The csv module's own field limit (131,072 characters by default) is lifted while reading,
    since the text is already bounded by OKG_MAX_FILE_BYTES; cells are then checked against
    OKG_MAX_VALUE_BYTES with their column.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                sink.add(reader.line_num or 1, None, f"malformed CSV: {exc}")
                return
            yield reader.line_num, row
    finally:
        csv.field_size_limit(old)


def sidecar(path: Path) -> Path:
    return path.with_name(path.name[: -len(".csv")] + ".source.yaml")


SIDECAR_KEYS = ("source", "modules")


def _meta(path: Path, mapping, doc: Map, origins: dict, errors: list[FactError]) -> None:
    """``source:`` and ``modules:`` from the mapping file or FILE.source.yaml (one of them each)."""
    if mapping is not None:
        for key, (node, line) in mapping.meta.items():
            doc.items[key] = node
            doc.key_lines[key] = line
            origins[key] = mapping.file
    side = sidecar(path)
    if not side.exists():
        return
    try:
        meta = parse_yaml(read_text(side))
    except (YamlSyntaxError, InputRefused) as exc:
        errors.append(FactError(str(side), exc.line, exc.field, str(exc)))
        return
    if not isinstance(meta, Map):
        errors.append(
            FactError(str(side), getattr(meta, "line", 1), None, "expected source: (and modules:)")
        )
        return
    for key in meta.items:
        line = meta.line_of(key)
        if key not in SIDECAR_KEYS:
            errors.append(
                FactError(str(side), line, key, "unknown field; expected modules, source")
            )
        elif key in doc.items:
            errors.append(
                FactError(
                    str(side),
                    line,
                    key,
                    f"also given by {Path(origins[key]).name} (line {doc.key_lines[key]}); "
                    "keep one",
                )
            )
        else:
            doc.items[key] = meta.items[key]
            doc.key_lines[key] = line
            origins[key] = str(side)


def _own_record(header: list[str], cells: list[str], line: int) -> Map:
    """A row of a CSV with okg's own column names."""
    rec = Map({}, line)
    labels = Map({}, line)
    for col, cell in zip(header, cells, strict=True):
        if not cell:
            continue
        if col.startswith("label@"):
            labels.items[col.split("@", 1)[1]] = Scalar(cell, line)
            continue
        parts = [p.strip() for p in cell.split("|")] if "|" in cell else [cell]
        node = (
            Scalar(parts[0], line)
            if len(parts) == 1
            else Seq([Scalar(p, line) for p in parts], line)
        )
        rec.items[col] = node
        rec.key_lines[col] = line
    if labels.items:
        rec.items["label"] = labels
        rec.key_lines["label"] = line
    return rec


def _in_its_file(errors: list[FactError], origins: dict[str, str]) -> list[FactError]:
    """Errors of the source: or modules: block name the file (and line) that holds the block."""
    out = []
    for e in errors:
        key = (e.field or "").split(".", 1)[0]
        if key in origins and e.line is not None:
            e = FactError(origins[key], e.line, e.field, e.message)
        out.append(e)
    return out


@register("csv", (".csv",), "CSV table of records, with FILE.source.yaml (or FILE.mapping.yaml)")
def read_csv(path: Path, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    side_errors: list[FactError] = []  # named by the sidecar's or the mapping's own file and line
    mapping = None
    mapping_file = csv_mapping.mapping_path(path)
    if mapping_file.exists():
        map_sink = ErrorSink(str(mapping_file))
        mapping = csv_mapping.read_mapping(mapping_file, voc, map_sink)
        side_errors += map_sink.errors
    doc = Map({}, 1)
    origins: dict[str, str] = {}
    _meta(path, mapping, doc, origins, side_errors)
    if "source" not in doc.items and not side_errors:
        where = f" (or a source: block in {mapping_file.name})" if mapping else ""
        what = (
            f"sidecar {sidecar(path).name} has no source: block"
            if sidecar(path).exists()
            else f"missing sidecar {sidecar(path).name} with the source: block"
        )
        sink.add(None, "source", what + where)
    if mapping_file.exists() and mapping is None:
        # the mapping is wrong: its errors say so; the rows cannot be read without it
        bundle = SourceBundle(file=str(path), source_id=None, errors=side_errors + sink.errors)
        return Pending(bundle, lambda batch, resolver: None)
    records = []
    row_sink = ErrorSink(str(path))  # errors of one row's values: the other rows are still checked
    text = ""
    try:
        text = read_text(path)
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
    lines = io.StringIO(text, newline="").readlines()
    rows = _rows(text, sink, mapping.delimiter if mapping else ",")
    header = next(rows, None)
    if not header and not sink:
        expected = "the columns of its mapping" if mapping else "id and type"
        sink.add(1, None, f"empty table; expected a header row with {expected}")
    elif header:
        header_line = header[0]
        header = [h.strip() for h in header[1]]
        if mapping is not None:
            header = [csv_mapping.name(h) for h in header]
            map_sink = ErrorSink(mapping.file)
            csv_mapping.check_header(mapping, header, sink, map_sink, path.name, header_line)
            side_errors += map_sink.errors
            if sink or map_sink:
                rows = iter(())
        else:
            for n, col in enumerate(header, start=1):
                if col and col in header[: n - 1]:
                    sink.add(header_line, col, f"column '{col}' appears twice in the header")
        previous = header_line
        for line, row in rows:
            raw = "".join(lines[previous:line]).rstrip("\r\n")
            previous = line
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                (row_sink if mapping else sink).add(
                    line, None, f"row has {len(row)} cells; the header has {len(header)}"
                )
                continue
            cells = []
            for n, (col, cell) in enumerate(zip(header, row, strict=True), start=1):
                too_big = value_too_big(cell)
                if too_big:
                    sink.add(line, col or f"column {n}", f"column {n}: {too_big}")
                    cell = ""
                cells.append(cell.strip())
            if mapping is None:
                records.append(_own_record(header, cells, line))
                continue
            before = len(row_sink.errors)
            rec = csv_mapping.record(mapping, header, cells, line, raw, row_sink)
            wrong = {e.field.rsplit(" ", 1)[-1] for e in row_sink.errors[before:] if e.field}
            if not wrong & {"id", "type"}:  # else it cannot be declared; its errors say why
                records.append(rec)
    doc.items["facts"] = Seq(records, 2)
    doc.key_lines["facts"] = 2
    pre = side_errors + list(sink.errors)
    pending = read_document(path, doc, voc, sink_errors=pre)
    inner = pending.complete

    def complete(batch, resolver) -> None:
        inner(batch, resolver)
        found = _in_its_file(pending.bundle.errors[len(pre) :], origins)
        if mapping is not None:
            found = csv_mapping.translate(found, mapping)
            # a value refused in its row is missing from its record: not a second error
            refused = {(e.line, e.field) for e in row_sink.errors}
            found = [e for e in found if e.file != str(path) or (e.line, e.field) not in refused]
        pending.bundle.errors = sorted(set(pre + row_sink.errors + found), key=_order)
        if pending.bundle.errors:
            pending.bundle.graph = Graph()

    return Pending(pending.bundle, complete)


def _order(e: FactError):
    return (e.file, e.line or 0, e.field or "", e.message)

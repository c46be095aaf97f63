"""CSV tables of records (firms, contracts, workforce...) with a sidecar source file.

``firms.csv`` needs ``firms.source.yaml`` beside it holding the ``source:`` block (and ``modules:``).
Columns: ``id``, ``type``, ``label@en`` / ``label@fr`` / ``label@ar``, ``quote``, then any
fact-file key. Several values in one cell are separated by ``|``; figures use the text forms of
docs/facts.md (``about 50``, ``more than 80%``, ``15 to 20``). Errors name the CSV line and column.

Both files are bounded like every input (:mod:`okg.loaders.limits`): a cell over
``OKG_MAX_VALUE_BYTES`` is refused with its line and column, whatever the csv module's own field
limit; NUL characters and encoding errors are refused with their line.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from okg.loaders.errors import ErrorSink, FactError
from okg.loaders.limits import InputRefused, read_text, value_too_big
from okg.loaders.registry import Pending, register
from okg.loaders.yaml_facts import read_document
from okg.loaders.yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse_yaml
from okg.terms.vocabulary import Vocabulary


def _rows(text: str, sink: ErrorSink):
    """(line, cells) of each record; a malformed record is one error with its line, then stop.

    The csv module's own field limit (131,072 characters by default) is lifted while reading,
    since the text is already bounded by OKG_MAX_FILE_BYTES; cells are then checked against
    OKG_MAX_VALUE_BYTES with their column.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
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


@register("csv", (".csv",), "CSV table of records, with FILE.source.yaml for the source")
def read_csv(path: Path, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    sidecar_errors: list[FactError] = []  # named by the sidecar's own file and line
    side = sidecar(path)
    doc = Map({}, 1)
    if not side.exists():
        sink.add(None, "source", f"missing sidecar {side.name} with the source: block")
    else:
        try:
            meta = parse_yaml(read_text(side))
        except (YamlSyntaxError, InputRefused) as exc:
            meta = None
            sidecar_errors.append(FactError(str(side), exc.line, exc.field, str(exc)))
        if isinstance(meta, Map):
            for key in ("source", "modules"):
                if key in meta.items:
                    doc.items[key] = meta.items[key]
                    doc.key_lines[key] = 1
    records = []
    try:
        text = read_text(path)
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
        text = ""
    rows = _rows(text, sink)
    header = next(rows, None)
    if not header and not sink:
        sink.add(1, None, "empty table; expected a header row with id and type")
    elif header:
        header = [h.strip() for h in header[1]]
        for line, row in rows:
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                sink.add(line, None, f"row has {len(row)} cells; the header has {len(header)}")
                continue
            rec = Map({}, line)
            labels = Map({}, line)
            for n, (col, cell) in enumerate(zip(header, row, strict=True), start=1):
                too_big = value_too_big(cell)
                if too_big:
                    sink.add(line, col or f"column {n}", f"column {n}: {too_big}")
                    continue
                cell = cell.strip()
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
            records.append(rec)
    doc.items["facts"] = Seq(records, 2)
    doc.key_lines["facts"] = 2
    return read_document(path, doc, voc, sink_errors=sidecar_errors + list(sink.errors))

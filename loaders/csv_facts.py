"""CSV tables of records (firms, contracts, workforce...) with a sidecar source file.

``firms.csv`` needs ``firms.source.yaml`` beside it holding the ``source:`` block (and ``modules:``).
Columns: ``id``, ``type``, ``label@en`` / ``label@fr`` / ``label@ar``, ``quote``, then any
fact-file key. Several values in one cell are separated by ``|``; figures use the text forms of
docs/facts.md (``about 50``, ``more than 80%``, ``15 to 20``). Errors name the CSV line and column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from okg.loaders.errors import ErrorSink
from okg.loaders.registry import Pending, register
from okg.loaders.yaml_facts import read_document
from okg.loaders.yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse_yaml
from okg.terms.vocabulary import Vocabulary


def sidecar(path: Path) -> Path:
    return path.with_name(path.name[: -len(".csv")] + ".source.yaml")


@register("csv", (".csv",), "CSV table of records, with FILE.source.yaml for the source")
def read_csv(path: Path, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    side = sidecar(path)
    doc = Map({}, 1)
    if not side.exists():
        sink.add(None, "source", f"missing sidecar {side.name} with the source: block")
    else:
        try:
            meta = parse_yaml(side.read_text(encoding="utf-8"))
        except YamlSyntaxError as exc:
            meta = None
            sink.add(exc.line, "source", f"{side.name}: {exc}")
        if isinstance(meta, Map):
            for key in ("source", "modules"):
                if key in meta.items:
                    doc.items[key] = meta.items[key]
                    doc.key_lines[key] = 1
    records = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        sink.add(None, None, f"not UTF-8 text: {exc}")
        text = ""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        sink.add(1, None, "empty table; expected a header row with id and type")
    else:
        header = [h.strip() for h in header]
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                sink.add(line, None, f"row has {len(row)} cells; the header has {len(header)}")
                continue
            rec = Map({}, line)
            labels = Map({}, line)
            for col, cell in zip(header, row, strict=True):
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
    return read_document(path, doc, voc, sink_errors=list(sink.errors))

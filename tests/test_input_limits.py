"""Bounded parsers and nothing fetched: hostile inputs are refused with file, line and field.

Times are CPU seconds of the refusal (a bounded algorithm), with generous bounds: the point is
that nothing is expanded, not how fast the machine is.
"""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from okg.loaders import LoadError, read_files
from okg.loaders.limits import STORE_TERM_BYTES, limits_from
from okg.loaders.yamlnodes import YamlSyntaxError, parse_yaml

SOURCE = "okg: 1\nsource:\n  id: limits-test\n  title: T\n  language: en\n"


def _errors(path):
    with pytest.raises(LoadError) as exc:
        read_files([path])
    return exc.value.errors


def _errors_and_peak(path):
    """The errors of reading *path*, and the Python memory allocated at the peak while reading
    it (a bound on what was expanded; speed is for the benchmarks)."""
    import tracemalloc

    from okg.loaders import load_vocabulary

    load_vocabulary()  # cached: not part of the file's cost
    tracemalloc.start()
    try:
        errors = _errors(path)
        return errors, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["okg: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# -- YAML ---------------------------------------------------------------------------------
def test_alias_bomb_is_refused_fast_with_its_line(tmp_path):
    text = _bomb()
    assert len(text.encode()) < 600
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    (err,), peak = _errors_and_peak(path)
    assert peak < 16 * 2**20, peak  # expanded it would be 9**9 scalars (never finished)
    assert err.file == str(path) and err.line == 9
    assert err.field == "a7"  # the key whose value the aliases blow up (9**8 scalars)
    assert "aliases expand" in err.message and "OKG_MAX_FILE_BYTES" in err.message


def test_alias_count_is_limited(monkeypatch):
    monkeypatch.setenv("OKG_MAX_YAML_ALIASES", "2")
    parse_yaml("a: &x [1]\nb: *x\nc: *x\n")
    with pytest.raises(YamlSyntaxError) as exc:
        parse_yaml("a: &x [1]\nb: *x\nc: *x\nd: [*x]\n")
    assert exc.value.line == 4 and "OKG_MAX_YAML_ALIASES" in str(exc.value)
    assert exc.value.field == "d[0]"  # the key path where the alias over the limit is used


def test_recursive_alias_and_deep_nesting_are_one_line_errors(tmp_path):
    for name, text in [("rec.yaml", "okg: 1\na: &a [1, *a]\n"), ("deep.yaml", "a: " + "[" * 3000)]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        (err,) = _errors(path)
        assert "\n" not in str(err)
        assert "recursive" in err.message or "nested too deeply" in err.message
    assert _errors(tmp_path / "rec.yaml")[0].line == 2
    assert _errors(tmp_path / "rec.yaml")[0].field == "a[1]"


def test_big_value_is_refused_with_line_and_field(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_MAX_VALUE_BYTES", "1000")
    path = tmp_path / "big.yaml"
    path.write_text(
        SOURCE + "facts:\n  - id: f\n    type: Firm\n    quote: '" + "x" * 1001 + "'\n",
        encoding="utf-8",
    )
    (err,) = _errors(path)
    assert (err.line, err.field) == (9, "facts.quote")
    assert "1,001 bytes" in err.message and "OKG_MAX_VALUE_BYTES" in err.message


def test_value_limit_stays_below_what_the_store_can_hold():
    assert limits_from({}).max_value_bytes < STORE_TERM_BYTES
    assert limits_from({"OKG_MAX_VALUE_BYTES": str(10**9)}).max_value_bytes < STORE_TERM_BYTES
    with pytest.raises(ValueError, match="OKG_MAX_FILE_BYTES"):
        limits_from({"OKG_MAX_FILE_BYTES": "-3"})


def test_bad_limit_setting_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_MAX_FILE_BYTES", "lots")
    path = tmp_path / "a.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    (err,) = _errors(path)
    assert "OKG_MAX_FILE_BYTES must be a positive whole number" in err.message


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_MAX_FILE_BYTES", "100")
    for name in ("big.yaml", "big.ttl"):
        path = tmp_path / name
        path.write_text("#" * 200 + "\n", encoding="utf-8")
        (err,) = _errors(path)
        assert err.file == str(path) and "over the limit of 100 bytes" in err.message


def test_nul_is_refused_with_its_line(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_text(SOURCE + "facts:\n  - id: a\x00b\n", encoding="utf-8")
    (err,) = _errors(path)
    assert err.line == 7 and "NUL" in err.message and "column 10" in err.message


def test_bad_encoding_is_refused_with_its_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(SOURCE.encode() + "facts:\n  - id: caf\xe9\n".encode("latin-1"))
    (err,) = _errors(path)
    assert err.line == 7 and "not UTF-8" in err.message and "0xe9" in err.message


# -- CSV ----------------------------------------------------------------------------------
def _csv(tmp_path, body: str | bytes, name: str = "t"):
    (tmp_path / f"{name}.source.yaml").write_text(
        "source:\n  id: csv-limits\n  title: T\n  language: en\n", encoding="utf-8"
    )
    path = tmp_path / f"{name}.csv"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def test_csv_cell_over_the_csv_field_limit_is_no_traceback(tmp_path):
    # 200,000 characters: over the csv module's 131,072, under OKG_MAX_VALUE_BYTES: it loads
    path = _csv(tmp_path, "id,type,quote\nf,Firm," + "q" * 200_000 + "\n")
    (bundle,) = read_files([path])
    assert bundle.source_id == "csv-limits"


def test_csv_cell_over_the_value_limit_names_line_and_column(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_MAX_VALUE_BYTES", "150000")
    path = _csv(tmp_path, "id,type,quote\nf,Firm,ok\ng,Firm," + "q" * 200_000 + "\n")
    (err,) = _errors(path)
    assert (err.line, err.field) == (3, "quote") and "column 3" in err.message


def test_csv_nul_and_encoding(tmp_path):
    (err,) = _errors(_csv(tmp_path, "id,type,quote\nf,Firm,a\x00b\n", "nul"))
    assert err.line == 2 and "NUL" in err.message
    (err,) = _errors(_csv(tmp_path, b"id,type,quote\nf,Firm,ok\ng,Firm,caf\xe9\n", "enc"))
    assert err.line == 3 and "not UTF-8" in err.message


# -- RDF/XML ------------------------------------------------------------------------------
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY x SYSTEM "file:///etc/passwd">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:okg="https://w3id.org/okg/ontology#">
  <rdf:Description rdf:about="https://w3id.org/okg/id/lol"><okg:note>&g;&x;</okg:note>
  </rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_entities_are_refused_before_parsing(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    (err,), peak = _errors_and_peak(path)
    assert peak < 16 * 2**20, peak  # nothing expanded
    assert (err.line, err.field) == (2, "DOCTYPE") and "refused" in err.message


def test_plain_rdfxml_loads(tmp_path):
    path = tmp_path / "plain.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:okg="https://w3id.org/okg/ontology#">\n'
        '<okg:Firm rdf:about="https://w3id.org/okg/id/plainxml"/>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    (bundle,) = read_files([path])
    assert bundle.source_id == "rdf:plain.rdf" and len(bundle.graph) >= 1


# -- JSON-LD contexts ---------------------------------------------------------------------
class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        body = json.dumps({"@context": {"name": "http://evil.example/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def context_server():
    Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "doc, field",
    [
        ({"@context": "URL/ctx.jsonld", "@id": "https://w3id.org/okg/id/j"}, "@context"),
        ({"@context": ["URL/a.jsonld"], "@id": "https://w3id.org/okg/id/j"}, "@context"),
        ({"@context": {"@import": "URL/i.jsonld"}, "@id": "https://w3id.org/okg/id/j"}, "@import"),
        (
            {
                "@context": {"t": {"@id": "http://e.org/t", "@context": "URL/scoped.jsonld"}},
                "@id": "https://w3id.org/okg/id/j",
            },
            "@context",
        ),
    ],
)
def test_remote_context_is_refused_and_never_fetched(tmp_path, context_server, doc, field):
    text = json.dumps(doc, indent=1).replace("URL", context_server)
    path = tmp_path / "remote.jsonld"
    path.write_text(text, encoding="utf-8")
    (err,) = _errors(path)
    assert field in (err.field or "") and context_server in err.message
    assert err.line is not None and "not fetched" in err.message
    assert Recorder.hits == []  # nothing was asked of the server


def test_file_context_is_refused(tmp_path):
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"x": "http://e.org/x"}}', encoding="utf-8")
    path = tmp_path / "f.jsonld"
    path.write_text(
        json.dumps({"@context": secret.as_uri(), "@id": "https://w3id.org/okg/id/j"}),
        encoding="utf-8",
    )
    (err,) = _errors(path)
    assert "a file: context" in err.message and err.field == "@context"
    rel = tmp_path / "rel.jsonld"
    rel.write_text(json.dumps({"@context": "secret.jsonld", "@id": "x:y"}), encoding="utf-8")
    (err,) = _errors(rel)
    assert "by path" in err.message  # a relative reference would read a local file: refused too


def test_allowed_local_context_loads(tmp_path, context_server):
    url = f"{context_server}/okg-context.jsonld"
    (tmp_path / "ctx.jsonld").write_text(
        json.dumps(
            {
                "@context": {
                    "@import": f"{context_server}/base.jsonld",
                    "okgd": "https://w3id.org/okg/id/",
                    "Firm": "https://w3id.org/okg/ontology#Firm",
                }
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "base.jsonld").write_text(
        json.dumps({"@context": {"note": "https://w3id.org/okg/ontology#note"}}), encoding="utf-8"
    )
    (tmp_path / "shipped.source.yaml").write_text(
        "source:\n  id: shipped-jsonld\n  title: Shipped\n  language: en\n"
        f"contexts:\n  {url}: ctx.jsonld\n  {context_server}/base.jsonld: base.jsonld\n",
        encoding="utf-8",
    )
    path = tmp_path / "shipped.jsonld"
    path.write_text(
        json.dumps({"@context": url, "@id": "okgd:shipped", "@type": "Firm", "note": "hello"}),
        encoding="utf-8",
    )
    (bundle,) = read_files([path])
    triples = {(str(s), str(p), str(o)) for s, p, o in bundle.graph}
    firm = "https://w3id.org/okg/id/shipped"
    assert (
        firm,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/okg/ontology#Firm",
    ) in triples
    assert (firm, "https://w3id.org/okg/ontology#note", "hello") in triples
    assert bundle.source_id == "shipped-jsonld"
    assert Recorder.hits == []


def test_sidecar_context_must_be_a_file_beside_it(tmp_path):
    (tmp_path / "s.source.yaml").write_text(
        "source:\n  id: s\n  title: S\n  language: en\ncontexts:\n  https://e.org/c: /etc/passwd\n",
        encoding="utf-8",
    )
    path = tmp_path / "s.jsonld"
    path.write_text('{"@id": "https://w3id.org/okg/id/s"}', encoding="utf-8")
    (err,) = _errors(path)
    assert err.file.endswith("s.source.yaml") and err.line == 6
    assert err.field == "contexts.https://e.org/c"


def test_many_uses_of_one_local_context_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_MAX_FILE_BYTES", "20000")
    (tmp_path / "ctx.jsonld").write_text(
        json.dumps({"@context": {f"t{i}": f"http://e.org/{i}" for i in range(40)}}),
        encoding="utf-8",
    )
    (tmp_path / "many.source.yaml").write_text(
        "source:\n  id: many\n  title: M\n  language: en\n"
        "contexts:\n  https://e.org/ctx: ctx.jsonld\n",
        encoding="utf-8",
    )
    nodes = [
        {"@context": "https://e.org/ctx", "@id": f"https://w3id.org/okg/id/n{i}"} for i in range(60)
    ]
    path = tmp_path / "many.jsonld"
    path.write_text(json.dumps({"@graph": nodes}), encoding="utf-8")
    (err,) = _errors(path)
    assert "inlined contexts exceed 20,000 bytes" in err.message


def test_control_character_in_yaml_names_its_line(tmp_path):
    path = tmp_path / "ctl.yaml"
    path.write_text(SOURCE + "facts:\n  - id: a\x01b\n", encoding="utf-8")
    (err,) = _errors(path)
    assert err.line == 7 and "#x0001 at column 10" in err.message


def test_csv_sidecar_error_names_the_sidecar(tmp_path):
    path = _csv(tmp_path, "id,type,quote\nf,Firm,q\n", "side")
    (tmp_path / "side.source.yaml").write_text("source:\n  id: [unclosed\n", encoding="utf-8")
    errs = _errors(path)
    assert any(e.file.endswith("side.source.yaml") and e.line == 3 for e in errs), errs


def test_okgs_own_context_is_allowed(tmp_path):
    from okg.terms.resources import ontology_dir

    if not (ontology_dir() / "context.jsonld").is_file():
        pytest.skip("no ontology/context.jsonld in this checkout")
    path = tmp_path / "own.jsonld"
    path.write_text(
        json.dumps(
            {
                "@context": "https://w3id.org/okg/context.jsonld",
                "@id": "okgd:own-context-firm",
                "@type": "okg:Firm",
            }
        ),
        encoding="utf-8",
    )
    (bundle,) = read_files([path])
    subjects = {str(s) for s in bundle.graph.subjects()}
    assert "https://w3id.org/okg/id/own-context-firm" in subjects

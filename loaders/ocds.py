"""OCDS 1.1 release packages and record packages (``NAME.ocds.json``): procurement facts with sources.

An Open Contracting Data Standard package (https://standard.open-contracting.org/1.1/) becomes
the parties, tender, awards and contracts of each contracting process (docs/ocds.md):

- **File name.** ``NAME.ocds.json``: plain ``.json`` is left alone (``.jsonld`` is RDF), so an
  OCDS file is never read as RDF nor an RDF file as OCDS. An optional ``NAME.source.yaml``
  beside it adds CPV codes to the declared table (``cpv: {"79342000": cc:Telemarketing}``)
  and marks a made-up package (``illustrative: true``: every record is illustrative).
- **Checked first, nothing fetched.** The package is validated against the OCDS 1.1.5 schemas
  vendored in ``loaders/ocds_schema/`` (jsonschema, draft 4, with a registry that refuses any
  reference it does not hold, so no schema is ever retrieved); dates must be RFC 3339 dates or
  date-times. Each error names the file, the release (its index, ocid and id) and the JSON path
  of the field; a package with any error loads nothing.
- **Compiled records.** Releases that share an ``ocid`` are merged by ``ocdsmerge`` with merge
  rules computed from the vendored release schema (ocdsmerge would download it otherwise): later
  releases win field by field, fields a later release leaves out keep their earlier values. A
  record package's own releases are merged the same way; when it only links them, its
  ``compiledRelease`` is used.
- **Sources.** The package is one named graph (source ``ocds-NAME``, title, publisher, date and
  URI of the package); each release is an ``okg:Source`` in it (``okg:releaseId``, ``okg:ocid``,
  ``dcterms:date``, the package URI as ``schema:url``). Each fact (tender, contract, award or
  termination event) and each party cites, with ``prov:hadPrimarySource``, the latest release
  that carries its OCDS object (the tender, the award, contract or party with that ``id``): the
  release whose values won the merge. The claimant (``claimedBy``) is the package publisher.
- **Quote.** OCDS has no verbatim text to quote: the quote of a record is the JSON of the OCDS
  object it was read from, as compiled, restricted to the fields okg reads (a ``...`` in a text is
  written as the JSON escape ``.\\u002e.``, the same text, so it is not read as a cut).
- **Mapping.** A party named as buyer or procuring entity is an ``okg:PublicBody``, a supplier
  or tenderer an ``okg:Firm``; its id is made from its first identifier (``scheme-id``), else from
  the ocid and its OCDS id, so the same registered firm in two processes is one actor. Country:
  ``address.countryName`` read against the ISO 3166 labels (en, fr, ar) or codes. Identifier
  schemes okg checks (FR-RCS and FR-SIRET give the SIREN, BE-BCE_KBO, XI-LEI, MA-ICE) go through
  okg's identifier keys; any other scheme is kept as an ``adms:identifier`` with its org-id.guide
  code. Each contract (or each active award without a contract) is an ``okg:Contract``: buyer =
  client, supplier = provider (one contract per supplier when there are several, with no value),
  period (day precision), value and currency, every item classification as
  ``okg:classification``, and ``okg:coversActivity`` for the codes of ``loaders/ocds_cpv.yaml``.
  A contract with no mapped code is refused by name (the shapes want an activity). An active
  award is an ``okg:ContractAwarded`` event, a contract with status ``terminated`` an
  ``okg:ContractTerminated`` event (on its end date, else reported on its release's date).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path

import yaml
from okg.loaders.errors import ErrorSink, FactError
from okg.loaders.facts import ID_PATTERN, DocumentMapper, SourceBundle
from okg.loaders.limits import InputRefused, read_text
from okg.loaders.registry import Pending, register
from okg.loaders.yamlnodes import Map, Scalar, Seq, YamlSyntaxError, parse_yaml
from okg.terms.identifiers import ADMS, schemes_of
from okg.terms.namespaces import OKG, PROV, SCHEMA, source_node
from okg.terms.vocabulary import Vocabulary
from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

SCHEMA_DIR = Path(__file__).with_name("ocds_schema")
CPV_TABLE = Path(__file__).with_name("ocds_cpv.yaml")
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
MAX_ERRORS = 50
BUYER_ROLES = {"buyer", "procuringEntity"}
DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?"
)
IDENTIFIER_KEYS = {
    "FR-RCS": "siren",
    "FR-SIRET": "siren",
    "BE-BCE_KBO": "kbo",
    "XI-LEI": "lei",
    "MA-ICE": "ice",
}
"""org-id.guide list codes okg can check, and the okg identifier key they go to. A SIRET is a
SIREN followed by a 5-digit establishment number: its first 9 digits are the SIREN."""

QUOTED_FIELDS = {
    "party": ("id", "name", "identifier", "additionalIdentifiers", "address", "roles"),
    "tender": ("id", "title", "status", "value", "items", "tenderers", "procuringEntity"),
    "award": ("id", "title", "status", "date", "value", "suppliers", "contractPeriod", "items"),
    "contract": ("id", "awardID", "title", "status", "period", "value", "items", "dateSigned"),
}


# -- the vendored schemas ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _schemas() -> dict[str, dict]:
    return {
        name: json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES
    }


def _date_time(text) -> bool:
    """An RFC 3339 date-time, or a plain date (which many publishers write), that exists."""
    if not isinstance(text, str):
        return True
    m = DATE_TIME.fullmatch(text)
    if not m:
        return False
    try:
        dt.date.fromisoformat(m.group(1))
        if m.group(2):
            dt.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=2)
def _validator(package: str):
    """A draft-4 validator of *package* (release-package or record-package) that never fetches."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT4

    def refuse(uri: str):
        raise NoSuchResource(ref=uri)

    schemas = _schemas()
    registry = Registry(retrieve=refuse).with_resources(
        (s["id"], DRAFT4.create_resource(s)) for s in schemas.values()
    )
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    return Draft4Validator(
        schemas[f"{package}-schema.json"], registry=registry, format_checker=checker
    )


@lru_cache(maxsize=1)
def _merge_rules():
    """ocdsmerge's merge rules from the vendored release schema (never its default download)."""
    from ocdsmerge.rules import get_merge_rules

    return get_merge_rules(_schemas()["release-schema.json"])


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release of releases of one ocid, by ocdsmerge with the vendored rules.

    >>> r1 = {"ocid": "ocds-x-1", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"],
    ...       "tender": {"id": "t", "title": "Old", "status": "active"}}
    >>> r2 = {"ocid": "ocds-x-1", "id": "2", "date": "2024-02-01T00:00:00Z", "tag": ["award"],
    ...       "tender": {"id": "t", "title": "New"}}
    >>> c = compile_releases([r2, r1])
    >>> c["tender"]["title"], c["tender"]["status"], c["id"]
    ('New', 'active', 'ocds-x-1-2024-02-01T00:00:00Z')
    """
    from ocdsmerge import Merger

    return Merger(merge_rules=_merge_rules()).create_compiled_release(releases)


# -- small helpers ---------------------------------------------------------------------------


def slug(text: str) -> str:
    """An okg id from any text: lower case, runs of other characters as '-'.

    >>> slug("ocds-213czf-000-00001"), slug("FR-RCS 552 081 317"), slug("  ")
    ('ocds-213czf-000-00001', 'fr-rcs-552-081-317', 'x')
    """
    out = re.sub(r"[^a-z0-9._-]+", "-", str(text).lower()).strip("-._")
    return out if out and ID_PATTERN.match(out) else "x"


def json_path(parts) -> str:
    """``['awards', 0, 'date']`` as ``awards[0].date``.

    >>> json_path(["releases", 2, "awards", 0, "date"]), json_path([])
    ('releases[2].awards[0].date', '')
    """
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def quote_json(obj) -> str:
    """Compact JSON of an OCDS fragment; '...' and '…' inside texts escaped, the same JSON text.

    >>> quote_json({"title": "Calls... and more…"})
    '{"title":"Calls.\\\\u002e. and more\\\\u2026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("…", "\\u2026").replace("...", ".\\u002e.")


def _pick(obj: dict, kind: str) -> dict:
    return {k: obj[k] for k in QUOTED_FIELDS[kind] if k in obj}


def _day(text) -> str | None:
    m = DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    return m.group(1) if m else None


def _cpv(code) -> str:
    """A CPV code without its check digit: '79512000-6' -> '79512000'."""
    return re.sub(r"-\d$", "", str(code).strip())


def _parse_json(text: str):
    def refuse_constant(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse_constant)


# -- where things are ----------------------------------------------------------------------


class _Places:
    """Synthetic line numbers for the nodes handed to the fact mapper, each standing for a
    (release locator, JSON path) pair, so that the mapper's errors can be told in OCDS terms."""

    def __init__(self):
        self.table: dict[int, tuple[str, str, str]] = {}

    def at(self, release: tuple[str, str], field: str) -> int:
        n = len(self.table) + 1
        self.table[n] = (release[0], release[1], field)
        return n

    def error(self, file: str, e: FactError) -> FactError:
        if e.line is None or e.line not in self.table or e.file != file:
            return e
        where, desc, field = self.table[e.line]
        path = ".".join(p for p in (where, field) if p) or e.field
        return FactError(file, None, path, f"release {desc}: {e.message}" if desc else e.message)


class _Record:
    """One fact-file record built from OCDS, each value placed at its JSON path."""

    def __init__(self, places: _Places, release, path: str, rid: str, rtype: str, seen=None):
        self.places, self.release, self.seen = places, release, seen or []
        self.map = Map({}, places.at(release, path))
        self.path = path
        self.add("id", rid, "id")
        self.add("type", rtype, "")

    def add(self, key: str, value, field: str | None = None, lang: str | None = None) -> None:
        release, path = self.release, self.path
        for rel, at, obj in reversed(self.seen if field else []):  # the release that wrote it
            if _has(obj, field):
                release, path = rel, at
                break
        line = self.places.at(release, f"{path}.{field}" if field else path)
        if lang:
            node = Map({lang: Scalar(str(value), line)}, line, {lang: line})
        elif isinstance(value, list):
            node = Seq([Scalar(str(v), line) for v in value], line)
        else:
            node = Scalar(str(value), line)
        self.map.items[key] = node
        self.map.key_lines[key] = line


# -- reading a package ---------------------------------------------------------------------


class _Package:
    def __init__(self, path: Path, voc: Vocabulary, sink: ErrorSink):
        self.path, self.voc, self.sink = path, voc, sink
        self.places = _Places()
        self.records: list[Map] = []
        self.declared: dict[str, str] = {}  # rid -> what it is (to merge parties across processes)
        self.modules: set[str] = set()
        self.release_sources: dict[str, dict] = {}  # source node key -> release provenance
        self.cites: dict[str, str] = {}  # rid -> source node key of the release it cites
        self.extra_ids: list[tuple[str, str, str]] = []  # (rid, org-id scheme, notation)
        self._countries: dict[str, str] | None = None
        self.illustrative = False
        self.cpv = self._cpv_table()

    # -- errors ----------------------------------------------------------------------
    def error(self, where: str, desc: str | None, field: str, message: str) -> None:
        path = f"{where}.{field}" if where and field else (where or field)
        text = f"release {desc}: {message}" if desc else message
        self.sink.add(None, path or None, text)

    # -- the declared CPV table and the package's own additions -----------------------
    def _cpv_table(self) -> dict[str, tuple[URIRef, str]]:
        table: dict[str, tuple[URIRef, str]] = {}
        data = yaml.safe_load(CPV_TABLE.read_text(encoding="utf-8"))
        for code, entry in data["cpv"].items():
            iri = self.voc.expand(entry["activity"])
            table[str(code)] = (iri, f"{CPV_TABLE.name}")
        side = sidecar(self.path)
        if not side.exists():
            return table
        try:
            meta = parse_yaml(read_text(side))
        except (YamlSyntaxError, InputRefused) as exc:
            self.sink.errors.append(FactError(str(side), exc.line, exc.field, str(exc)))
            return table
        if not isinstance(meta, Map):
            self.sink.errors.append(FactError(str(side), 1, None, "expected a mapping with cpv:"))
            return table
        for key in meta.items:
            if key not in ("cpv", "illustrative"):
                self.sink.errors.append(
                    FactError(
                        str(side),
                        meta.line_of(key),
                        key,
                        "unknown field; expected cpv, illustrative",
                    )
                )
        flag = meta.get("illustrative")
        if flag is not None:
            text = flag.value.strip().lower() if isinstance(flag, Scalar) else ""
            if text not in ("true", "false"):
                self.sink.errors.append(
                    FactError(
                        str(side),
                        meta.line_of("illustrative"),
                        "illustrative",
                        "expected true or false",
                    )
                )
            self.illustrative = text == "true"
        codes = meta.get("cpv")
        if codes is None:
            return table
        if not isinstance(codes, Map):
            self.sink.errors.append(
                FactError(str(side), meta.line_of("cpv"), "cpv", "expected CODE: activity lines")
            )
            return table
        activities = self.voc.keyed_individuals(OKG.Activity)
        for code, node in codes.items.items():
            line = codes.line_of(code)
            text = node.value.strip() if isinstance(node, Scalar) else ""
            iri = activities.get(text) or (self.voc.expand(text) if ":" in text else None)
            if not re.fullmatch(r"\d{8}", str(code)):
                self.sink.errors.append(
                    FactError(str(side), line, f"cpv.{code}", "expected an 8-digit CPV code")
                )
            elif iri is None or not self.voc.individual_is_a(iri, OKG.Activity):
                self.sink.errors.append(
                    FactError(
                        str(side),
                        line,
                        f"cpv.{code}",
                        f"unknown activity '{text}'; expected an activity key or prefixed name "
                        f"({', '.join(sorted(activities))})",
                    )
                )
            else:
                table[str(code)] = (iri, side.name)
        return table

    # -- the package as a whole ------------------------------------------------------
    def read(self, data) -> Map | None:
        if not isinstance(data, dict) or not ("releases" in data or "records" in data):
            self.sink.add(
                1, None, "expected an OCDS release package (releases) or record package (records)"
            )
            return None
        kind = "release-package" if "releases" in data else "record-package"
        if not self._validate(data, kind):
            return None
        self.package = data
        publisher = data.get("publisher") or {}
        self.publisher_rid = None
        groups = self._groups(data, kind)
        if not groups:
            return None
        self.language = next(
            (self._language(r) for rels, _ in groups for _w, _d, r in rels if r.get("language")),
            "en",
        )
        if publisher.get("name"):
            self._publisher(publisher)
        for rels, compiled in groups:
            self._process(rels, compiled)
        if self.sink:
            return None
        doc = Map({}, 1)
        uri = data.get("uri")
        title = f"OCDS {kind.replace('-', ' ')} {uri or self.path.name}"
        source = Map({}, 1)
        for key, value in (
            ("id", self.source_id),
            ("title", title),
            ("publisher", publisher.get("name")),
            ("date", _day(data.get("publishedDate"))),
            ("language", self.language),
            ("url", uri),
        ):
            if value:
                source.items[key] = Scalar(str(value), self.places.at(("", ""), key))
        doc.items["source"] = source
        modules = sorted(self.modules - {"core"})
        if modules:
            doc.items["modules"] = Seq([Scalar(m, 1) for m in modules], 1)
        if self.illustrative:  # a made-up package: every record says so
            for rec in self.records:
                rec.items["illustrative"] = Scalar("true", rec.line)
                rec.key_lines["illustrative"] = rec.line
        doc.items["facts"] = Seq(self.records, 1)
        return doc

    def _validate(self, data, kind: str) -> bool:
        def order(e):
            return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.absolute_path]

        errors = []
        for e in sorted(_validator(kind).iter_errors(data), key=order):
            errors += [x for x in _leaves(e) if x not in errors]
        for e in errors[:MAX_ERRORS]:
            where, desc, field = self._locate(data, list(e.absolute_path))
            message = e.message if len(e.message) <= 300 else e.message[:297] + "..."
            self.error(where, desc, field, message)
        if len(errors) > MAX_ERRORS:
            self.sink.add(None, None, f"{len(errors) - MAX_ERRORS} more schema errors not shown")
        return not errors

    @staticmethod
    def _locate(data, path: list) -> tuple[str, str | None, str]:
        """(release locator, 'ocid/id', field path) of a JSON path in the package."""

        def desc(rel) -> str | None:
            if isinstance(rel, dict) and (rel.get("ocid") or rel.get("id")):
                return f"{rel.get('ocid', '?')}/{rel.get('id', '?')}"
            return None

        try:
            if path[:1] == ["releases"] and len(path) > 1:
                rel = data["releases"][path[1]]
                return json_path(path[:2]), desc(rel), json_path(path[2:])
            if path[:1] == ["records"] and len(path) > 1:
                rec = data["records"][path[1]]
                if len(path) > 3 and path[2] == "releases":
                    rel = rec["releases"][path[3]]
                    return json_path(path[:4]), desc(rel), json_path(path[4:])
                if len(path) > 2 and path[2] in ("compiledRelease", "versionedRelease"):
                    return json_path(path[:3]), desc(rec.get(path[2])), json_path(path[3:])
                ocid = rec.get("ocid") if isinstance(rec, dict) else None
                return json_path(path[:2]), ocid, json_path(path[2:])
        except (KeyError, IndexError, TypeError):
            pass
        return "", None, json_path(path)

    def _groups(self, data, kind: str):
        """[(releases as (locator, 'ocid/id', release) in merge order, compiled release)]."""
        from ocdsmerge.util import sorted_releases

        out = []
        if kind == "release-package":
            by_ocid: dict[str, list] = {}
            for i, r in enumerate(data["releases"]):
                by_ocid.setdefault(r["ocid"], []).append(
                    (f"releases[{i}]", f"{r['ocid']}/{r['id']}", r)
                )
            seen: dict[tuple[str, str], str] = {}
            for ocid, rels in by_ocid.items():
                for where, desc, r in rels:
                    if (ocid, r["id"]) in seen:
                        self.error(
                            where, desc, "id", f"release id also used by {seen[(ocid, r['id'])]}"
                        )
                    seen[(ocid, r["id"])] = where
                order = sorted_releases([r for _w, _d, r in rels])
                rels = sorted(rels, key=lambda t: next(i for i, r in enumerate(order) if r is t[2]))
                out.append((rels, compile_releases([r for _w, _d, r in rels])))
            return out
        for i, rec in enumerate(data["records"]):
            full = [
                (f"records[{i}].releases[{j}]", f"{r.get('ocid')}/{r.get('id')}", r)
                for j, r in enumerate(rec.get("releases") or [])
                if isinstance(r, dict) and "ocid" in r and "url" not in r
            ]
            if full:
                order = sorted_releases([r for _w, _d, r in full])
                full = sorted(full, key=lambda t: next(k for k, r in enumerate(order) if r is t[2]))
                out.append((full, compile_releases([r for _w, _d, r in full])))
            elif isinstance(rec.get("compiledRelease"), dict):
                c = rec["compiledRelease"]
                out.append(
                    ([(f"records[{i}].compiledRelease", f"{c.get('ocid')}/{c.get('id')}", c)], c)
                )
            else:
                self.error(
                    f"records[{i}]",
                    rec.get("ocid"),
                    "compiledRelease",
                    "the record links its releases without embedding them and has no "
                    "compiledRelease: nothing to read (okg never fetches the linked releases)",
                )
        return out

    def _language(self, release) -> str:
        lang = str(release.get("language") or "en").split("-")[0].lower()
        return lang

    @property
    def source_id(self) -> str:
        name = (
            self.path.name[: -len(".ocds.json")]
            if self.path.name.lower().endswith(".ocds.json")
            else self.path.stem
        )
        return "ocds-" + slug(name)

    # -- one contracting process -----------------------------------------------------
    def _process(self, rels, c: dict) -> None:
        ocid = c.get("ocid", "")
        last: dict[tuple, tuple[tuple[str, str], str]] = {}
        release_key: dict[str, str] = {}
        seen: dict[tuple, list] = {}
        for where, desc, r in rels:
            key = f"{slug(ocid)}/{slug(r.get('id', ''))}"
            release_key[where] = key
            lang = self._language(r) if r.get("language") else self.language
            if lang not in self.voc.keyed_individuals(OKG.Language):
                self.error(where, desc, "language", f"unknown language '{r.get('language')}'")
            self.release_sources[key] = {
                "ocid": ocid,
                "id": r.get("id", ""),
                "date": r.get("date"),
                "language": lang,
                "title": (r.get("tender") or {}).get("title"),
            }
            for kind in ("parties", "awards", "contracts"):
                for k, obj in enumerate(r.get(kind) or []):
                    if isinstance(obj, dict) and "id" in obj:
                        last[(kind, str(obj["id"]))] = ((where, desc), f"{kind}[{k}]")
                        seen.setdefault((kind, str(obj["id"])), []).append(
                            ((where, desc), f"{kind}[{k}]", obj)
                        )
            if isinstance(r.get("tender"), dict):
                last[("tender",)] = ((where, desc), "tender")
                seen.setdefault(("tender",), []).append(((where, desc), "tender", r["tender"]))
            if isinstance(r.get("buyer"), dict):
                last[("buyer",)] = ((where, desc), "buyer")
        self._release_key = release_key
        self._last, self._seen = last, seen
        self._first = (rels[-1][0], rels[-1][1])
        parties = {str(p["id"]): p for p in c.get("parties") or [] if "id" in p}
        self._parties, self._party_rid = parties, {}
        buyer = self._party_ref(c.get("buyer"), ("buyer",), "buyer")
        tender = c.get("tender") if isinstance(c.get("tender"), dict) else None
        if buyer is None and tender is not None:
            buyer = self._party_ref(tender.get("procuringEntity"), ("tender",), "procuringEntity")
        awards = {str(a["id"]): a for a in c.get("awards") or []}
        contracts = c.get("contracts") or []
        tender_rid = f"{slug(ocid)}-tender" if tender is not None else None
        contract_rids: dict[str, list[str]] = {}  # award id -> contract rids
        awarded: list[str] = []
        for a in awards.values():
            if a.get("status") in (None, "active"):
                for s in a.get("suppliers") or []:
                    rid = self._party_ref(s, ("awards", str(a["id"])), "suppliers")
                    if rid:
                        awarded.append(rid)
        with_contract = {str(k.get("awardID")) for k in contracts}
        for k in contracts:
            award = awards.get(str(k.get("awardID")))
            rel, at = self._last[("contracts", str(k["id"]))]
            if award is None:
                self.error(
                    rel[0],
                    rel[1],
                    f"{at}.awardID",
                    f"no award with id '{k.get('awardID')}' in {ocid}: the supplier is unknown",
                )
                continue
            rids = self._contract(c, k, award, buyer, ("contracts", str(k["id"])), tender)
            contract_rids.setdefault(str(award["id"]), []).extend(rids)
        for a in awards.values():
            if str(a["id"]) in with_contract or a.get("status") not in (None, "active"):
                continue
            rids = self._contract(c, a, a, buyer, ("awards", str(a["id"])), tender)
            contract_rids.setdefault(str(a["id"]), []).extend(rids)
        if tender is not None:
            self._tender(c, tender, tender_rid, buyer, awarded, contract_rids)
        for a in awards.values():
            if a.get("status") in (None, "active") and contract_rids.get(str(a["id"])):
                self._award_event(c, a, tender_rid, contract_rids[str(a["id"])])

    def _cite(self, rid: str, obj_key: tuple) -> tuple[tuple[str, str], str]:
        rel, at = self._last.get(obj_key, (self._first, ""))
        self.cites[rid] = self._release_key[rel[0]]
        return rel, at

    def _common(self, rec: _Record, c: dict, obj: dict, kind: str) -> None:
        rec.add("ocid", c.get("ocid", ""), "")
        rec.add("quote", quote_json(_pick(obj, kind)), "")
        if self.publisher_rid:
            rec.add("claimedBy", self.publisher_rid, "")

    # -- parties ---------------------------------------------------------------------
    def _party_ref(self, ref, where_key: tuple, field: str) -> str | None:
        """The okg id of the party an OrganizationReference names (declared on first use)."""
        if not isinstance(ref, dict):
            return None
        pid = str(ref.get("id", ""))
        if pid in self._party_rid:
            return self._party_rid[pid]
        rel, at = self._last.get(where_key, (self._first, ""))
        party = self._parties.get(pid)
        if party is None:
            self.error(
                rel[0],
                rel[1],
                f"{at}.{field}" if at else field,
                f"names party '{pid}', which is not in parties: okg needs its name and country",
            )
            return None
        rid = self._party(party)
        self._party_rid[pid] = rid
        return rid

    def _party(self, p: dict) -> str:
        ocid = self._last_ocid()
        ids = [p.get("identifier")] + list(p.get("additionalIdentifiers") or [])
        ids = [i for i in ids if isinstance(i, dict) and i.get("scheme") and i.get("id")]
        typed = [self._identifier(str(i["scheme"]).strip(), str(i["id"]).strip()) for i in ids]
        # the id comes from the first identifier, normalised as okg stores it, so that the same
        # registered actor written two ways (130 025 265, 130025265) is one actor
        rid = slug(f"{typed[0][0]}-{typed[0][1]}") if typed else slug(f"{ocid}-{p['id']}")
        if rid in self.declared:
            return rid
        roles = set(p.get("roles") or [])
        rtype = "PublicBody" if roles & BUYER_ROLES else "Firm"
        self.declared[rid] = rtype
        rel, at = self._last.get(("parties", str(p["id"])), (self._first, ""))
        self.cites[rid] = self._release_key[rel[0]]
        rec = _Record(self.places, rel, at, rid, rtype, self._seen.get(("parties", str(p["id"]))))
        if not p.get("name"):
            self.error(
                rel[0], rel[1], f"{at}.name", "a party needs a name (okg actors have a label)"
            )
        else:
            rec.add("label", p["name"], "name", lang=self._lang(rel))
        country = (p.get("address") or {}).get("countryName")
        if country:
            key = self._country(country)
            if key is None:
                crel, cat = self._field_where(("parties", str(p["id"])), "address.countryName")
                self.error(
                    crel[0],
                    crel[1],
                    f"{cat}.address.countryName",
                    f"unknown country '{country}': not an ISO 3166-1 name (en, fr, ar) nor code",
                )
            else:
                rec.add("country", key, "address.countryName")
        by_key: dict[str, list[str]] = {}
        for key, notation, scheme in typed:
            if key in self.voc.by_key:
                by_key.setdefault(key, []).append(notation)
            else:
                self.extra_ids.append((rid, scheme, notation))
        for key, values in by_key.items():
            rec.add(key, values if len(values) > 1 else values[0], "identifier")
        rec.add("quote", quote_json(_pick(p, "party")), "")
        self.records.append(rec.map)
        return rid

    def _identifier(self, scheme: str, notation: str) -> tuple[str, str, str]:
        """(okg identifier key or the org-id code, notation as okg stores it, scheme)."""
        key = IDENTIFIER_KEYS.get(scheme.upper())
        if key is None:
            return scheme, notation, scheme
        if key == "siren":
            digits = re.sub(r"\D", "", notation)
            is_siret = scheme.upper() == "FR-SIRET" and len(digits) == 14
            notation = digits[:9] if is_siret else digits
        info = self.voc.by_key[key]
        return key, schemes_of(self.voc)[info.iri].normalise(notation), scheme

    def _field_where(self, key: tuple, field: str):
        """(release, path) of the latest release that wrote *field* of the object *key*."""
        for rel, at, obj in reversed(self._seen.get(key, [])):
            if _has(obj, field):
                return rel, at
        return self._last.get(key, (self._first, ""))

    def _lang(self, rel) -> str:
        """The language of the release *rel* (locator, 'ocid/id') was read from."""
        key = self._release_key.get(rel[0])
        return self.release_sources[key]["language"] if key else self.language

    def _last_ocid(self) -> str:
        return self.release_sources[self._release_key[self._first[0]]]["ocid"]

    def _country(self, text: str) -> str | None:
        """The ISO 3166-1 key of a country name (any label of the reference graph) or code."""
        if self._countries is None:
            self._countries = {}
            for key, iri in self.voc.keyed_individuals(OKG.Country).items():
                self._countries[key.casefold()] = key
                for label in self.voc.graph.objects(iri, RDFS.label):
                    self._countries.setdefault(str(label).casefold(), key)
        return self._countries.get(str(text).strip().casefold())

    def _publisher(self, publisher: dict) -> None:
        ident = f"{publisher.get('scheme', '')}-{publisher.get('uid', '')}"
        rid = slug("ocds-publisher-" + (ident if publisher.get("uid") else publisher["name"]))
        self.publisher_rid = rid
        self.declared[rid] = "DataPublisher"
        rec = _Record(self.places, ("publisher", None), "", rid, "DataPublisher")
        rec.add("label", publisher["name"], "name", lang=self.language)
        rec.add("quote", quote_json(publisher), "")
        self.cites[rid] = None
        self.records.append(rec.map)

    # -- contracts, tender, events -----------------------------------------------------
    def _codes(self, *objs) -> list[tuple[str, str]]:
        """(SCHEME, ID) of the item classifications of the first object that has items."""
        for obj in objs:
            items = (obj or {}).get("items") or []
            codes = []
            for item in items:
                for cl in [item.get("classification")] + list(
                    item.get("additionalClassifications") or []
                ):
                    if isinstance(cl, dict) and cl.get("id") not in (None, ""):
                        codes.append((str(cl.get("scheme") or "?"), str(cl["id"])))
            if codes:
                return codes
        return []

    def _classify(self, rec: _Record, codes, rel, at: str) -> bool:
        labels = []
        activities = []
        for scheme, code in codes:
            labels.append(f"{scheme}:{code}")
            hit = self.cpv.get(_cpv(code)) if scheme.upper() == "CPV" else None
            if hit and hit[0] not in activities:
                activities.append(hit[0])
                self.modules.add(self.voc.module_of(hit[0]))
        if labels:
            rec.add("classification", labels if len(labels) > 1 else labels[0], "items")
        if not activities:
            shown = ", ".join(labels) or "no items classification"
            self.error(
                rel[0],
                rel[1],
                f"{at}.items" if at else "items",
                f"no classification maps to an okg activity ({shown}); an okg contract covers an "
                f"activity: declare the CPV code in {sidecar(self.path).name} under cpv: "
                "(docs/ocds.md)",
            )
            return False
        names = [self.voc.qname(a) for a in activities]
        rec.add("activity", names if len(names) > 1 else names[0], "items")
        return True

    def _contract(self, c, k: dict, award: dict, buyer, key: tuple, tender) -> list[str]:
        ocid = c.get("ocid", "")
        kind = key[0][:-1]  # "contract" or "award"
        suppliers = [
            self._party_ref(s, ("awards", str(award["id"])), "suppliers")
            for s in award.get("suppliers") or []
        ]
        rel, at = self._last.get(key, (self._first, ""))
        if buyer is None:
            self.error(
                rel[0], rel[1], "buyer", "a contract needs the buyer (the okg client): none given"
            )
            return []
        if not suppliers:
            self.error(
                rel[0],
                rel[1],
                f"{at}.suppliers" if kind == "award" else f"{at}.awardID",
                "a contract needs its supplier (the okg provider): the award names none",
            )
            return []
        period = k.get("period") if kind == "contract" else k.get("contractPeriod")
        if not period and kind == "contract":
            period = award.get("contractPeriod")
        period = period or {}
        out = []
        for n, supplier in enumerate(suppliers):
            if supplier is None:
                continue
            base = slug(f"{ocid}-{kind}-{k['id']}")
            rid = base if len(suppliers) == 1 else f"{base}-{n + 1}"
            self._cite(rid, key)
            rec = _Record(self.places, rel, at, rid, "Contract", self._seen.get(key))
            title = k.get("title") or award.get("title")
            sname = self._parties_name(supplier)
            label = title or f"{kind} {k['id']} of {ocid}"
            if len(suppliers) > 1:
                label = f"{label} ({sname})"
            rec.add("label", label, "title", lang=self._lang(rel) if title else "en")
            rec.add("client", buyer, "")
            rec.add("provider", supplier, "")
            start, end = _day(period.get("startDate")), _day(period.get("endDate"))
            pfield = "period" if kind == "contract" else "contractPeriod"
            if start:
                rec.add("start", start, f"{pfield}.startDate")
            if end:
                rec.add("end", end, f"{pfield}.endDate")
            if start or end:
                rec.add("datePrecision", "day", pfield)
            value = k.get("value") or (award.get("value") if kind == "contract" else None) or {}
            if len(suppliers) == 1 and value.get("amount") is not None:
                rec.add("valueAmount", _decimal(value["amount"]), "value.amount")
                if value.get("currency"):
                    rec.add("valueCurrency", value["currency"], "value.currency")
            elif len(suppliers) > 1 and value.get("amount") is not None:
                rec.add(
                    "note",
                    f"one of {len(suppliers)} joint suppliers; the value "
                    f"{value['amount']} {value.get('currency', '')} is the whole contract's, "
                    "not split",
                    "value",
                )
            if not self._classify(rec, self._codes(k, award, tender), rel, at):
                continue
            self._common(rec, c, _pick(k, kind), kind)
            self.records.append(rec.map)
            out.append(rid)
            if kind == "contract" and k.get("status") == "terminated":
                self._terminated(c, k, rid, label, rel, at, end)
        return out

    def _parties_name(self, rid: str) -> str:
        for pid, r in self._party_rid.items():
            if r == rid:
                return str(self._parties[pid].get("name", pid))
        return rid

    def _terminated(self, c, k, contract_rid, label, rel, at, end) -> None:  # noqa: PLR0913
        rid = f"{contract_rid}-terminated"
        self._cite(rid, ("contracts", str(k["id"])))
        rec = _Record(
            self.places,
            rel,
            at,
            rid,
            "ContractTerminated",
            self._seen.get(("contracts", str(k["id"]))),
        )
        rec.add("label", f"{label}: terminated (OCDS contract status)", "status", lang="en")
        rec.add("terminates", contract_rid, "status")
        if end:
            rec.add("date", end, "period.endDate")
            rec.add("datePrecision", "day", "period.endDate")
        else:
            date = self.release_sources[self.cites[rid]]["date"]
            rec.add("reportedOn", _day(date), "status")
        self._common(rec, c, {"id": k["id"], "status": "terminated", **_period(k)}, "contract")
        self.records.append(rec.map)

    def _tender(self, c, tender, rid, buyer, awarded, contract_rids) -> None:
        rel, at = self._cite(rid, ("tender",))
        rec = _Record(self.places, rel, at, rid, "Tender", self._seen.get(("tender",)))
        title = tender.get("title")
        label = title or f"tender {tender.get('id')} of {c.get('ocid')}"
        rec.add("label", label, "title", lang=self._lang(rel) if title else "en")
        if buyer:
            rec.add("issuedBy", buyer, "")
        if awarded:
            rec.add("awardedTo", sorted(set(awarded)), "")
        losers = []
        for t in tender.get("tenderers") or []:
            r = self._party_ref(t, ("tender",), "tenderers")
            if r and r not in awarded and awarded:
                losers.append(r)
        if losers:
            rec.add("lostBy", sorted(set(losers)), "tenderers")
        contracts = [r for rids in contract_rids.values() for r in rids]
        if contracts:
            rec.add("tenderFor", contracts, "")
        codes = self._codes(tender)
        if codes:
            labels = [f"{s}:{i}" for s, i in codes]
            rec.add("classification", labels if len(labels) > 1 else labels[0], "items")
        value = tender.get("value") or {}
        if value.get("amount") is not None:
            rec.add("valueAmount", _decimal(value["amount"]), "value.amount")
            if value.get("currency"):
                rec.add("valueCurrency", value["currency"], "value.currency")
        self._common(rec, c, tender, "tender")
        self.records.append(rec.map)

    def _award_event(self, c, a, tender_rid, contracts) -> None:
        rid = slug(f"{c.get('ocid', '')}-award-{a['id']}-awarded")
        rel, at = self._cite(rid, ("awards", str(a["id"])))
        rec = _Record(
            self.places, rel, at, rid, "ContractAwarded", self._seen.get(("awards", str(a["id"])))
        )
        title = a.get("title")
        label = title or f"award {a['id']} of {c.get('ocid')}"
        rec.add("label", label, "title", lang=self._lang(rel) if title else "en")
        rec.add("awards", contracts, "")
        if tender_rid:
            rec.add("tender", tender_rid, "")
        if _day(a.get("date")):
            rec.add("date", _day(a["date"]), "date")
            rec.add("datePrecision", "day", "date")
        else:
            rec.add("reportedOn", _day(self.release_sources[self.cites[rid]]["date"]), "")
        self._common(rec, c, a, "award")
        self.records.append(rec.map)

    # -- after the mapper ------------------------------------------------------------
    def provenance(self, bundle: SourceBundle) -> None:
        """Each release its okg:Source; each record cites its release; unchecked identifiers."""
        g = bundle.graph
        g.remove((None, OKG.line, None))
        package_node = source_node(bundle.source_id)
        uri = self.package.get("uri")
        publisher = (self.package.get("publisher") or {}).get("name")
        langs = self.voc.keyed_individuals(OKG.Language)
        for key, r in self.release_sources.items():
            s = source_node(f"{bundle.source_id}/{key}")
            g.add((s, RDF.type, OKG.Source))
            title = f"OCDS release {r['id']} of {r['ocid']}"
            if r.get("title"):
                title += f": {r['title']}"
            g.add((s, DCTERMS.title, Literal(title)))
            g.add((s, OKG.sourceLanguage, langs[r["language"]]))
            g.add((s, OKG.releaseId, Literal(str(r["id"]))))
            g.add((s, OKG.ocid, Literal(r["ocid"])))
            if r.get("date"):
                g.add((s, OKG.releaseTime, Literal(r["date"])))
                g.add((s, DCTERMS.date, Literal(_day(r["date"]), datatype=XSD.date)))
            if publisher:
                g.add((s, DCTERMS.publisher, Literal(publisher)))
            if uri:
                g.add((s, SCHEMA.url, Literal(uri, datatype=XSD.anyURI)))
        for rid, key in self.cites.items():
            if key is None:
                continue
            iri = bundle.declared[rid].iri
            g.remove((iri, PROV.hadPrimarySource, package_node))
            g.add((iri, PROV.hadPrimarySource, source_node(f"{bundle.source_id}/{key}")))
        for rid, scheme, notation in self.extra_ids:
            scheme_node = URIRef(f"https://w3id.org/okg/id/scheme/org-id/{slug(scheme)}")
            ident = URIRef(
                f"https://w3id.org/okg/id/identifier/org-id/{slug(scheme)}/{slug(notation)}"
            )
            g.add((scheme_node, RDF.type, OKG.IdentifierScheme))
            g.add((scheme_node, RDFS.label, Literal(f"{scheme} (org-id.guide)")))
            g.add((scheme_node, OKG.orgIdScheme, Literal(scheme)))
            g.add((bundle.declared[rid].iri, ADMS.identifier, ident))
            g.add((ident, RDF.type, ADMS.Identifier))
            g.add((ident, OKG.scheme, scheme_node))
            g.add((ident, SKOS.notation, Literal(notation)))


def _leaves(error) -> list:
    """The errors under a oneOf/anyOf error, from the alternative whose errors go deepest into
    the data (a record's embedded release with a bad date is an invalid *release*, not an
    invalid *linked release* missing its url)."""
    if not error.context:
        return [error]
    branches: dict = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    best = max(branches.values(), key=lambda errs: max(len(e.absolute_path) for e in errs))
    out = []
    for e in best:
        out += _leaves(e)
    return out


def _has(obj, field: str) -> bool:
    """Whether the dotted *field* is set in *obj*: ``_has({"a": {"b": 1}}, "a.b")``."""
    for part in field.split("."):
        if not isinstance(obj, dict) or obj.get(part) in (None, "", []):
            return False
        obj = obj[part]
    return True


def _decimal(amount) -> str:
    """An OCDS amount (a JSON number) as decimal text: 1.5e6 -> '1500000'."""
    from decimal import Decimal

    d = Decimal(str(amount))
    text = format(d, "f")
    return text


def _period(k: dict) -> dict:
    return {"period": k["period"]} if "period" in k else {}


def sidecar(path: Path) -> Path:
    """``tender.ocds.json`` -> ``tender.source.yaml`` (the optional CPV additions)."""
    name = path.name
    stem = name[: -len(".ocds.json")] if name.lower().endswith(".ocds.json") else path.stem
    return path.with_name(stem + ".source.yaml")


@register(
    "ocds",
    (".ocds.json",),
    "OCDS 1.1 release or record package: parties, tenders, awards, contracts; one source per release",
)
def read_ocds(path: Path, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    pkg = _Package(path, voc, sink)
    doc = None
    try:
        data = _parse_json(read_text(path))
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
    except json.JSONDecodeError as exc:
        sink.add(exc.lineno, None, f"not JSON: {exc.msg} (column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        sink.add(None, None, f"not JSON: {exc}")
    else:
        doc = pkg.read(data)
    bundle = SourceBundle(file=str(path), source_id=pkg.source_id if doc else None)
    if doc is None:
        if not sink:
            sink.add(1, None, "nothing to load")
        bundle.errors = list(sink.errors)
        return Pending(bundle, lambda batch, resolver: None)
    mapper = DocumentMapper(voc, str(path))
    mapper.declare(doc, bundle)
    # facts are also declared under their store id SOURCE/ID, so that a fact file built in the
    # same command can name them as it would once they are in the store
    for rid, decl in list(bundle.declared.items()):
        if voc.is_subclass(decl.cls, OKG.Fact):
            bundle.declared.setdefault(f"{bundle.source_id}/{rid}", decl)

    def complete(batch, resolver) -> None:
        mapper.batch = batch
        mapper.resolver = resolver
        if not mapper.sink:
            mapper.map(bundle, path.name)
        bundle.errors = [pkg.places.error(str(path), e) for e in mapper.sink.errors]
        if not bundle.errors:
            bundle.graph = mapper.graph
            pkg.provenance(bundle)

    return Pending(bundle, complete)

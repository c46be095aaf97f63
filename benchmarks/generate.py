"""A seeded generator of a synthetic offshoring graph, at a requested size.

The graph is made of source documents in the project's fact-file format (docs/facts.md): a
registry of places, client firms, call-centre providers (a few large groups with many sites,
clients and subcontractors; many small single-client firms), their sites, workforce
(permanent and temporary), contracts with activities, languages, markets, periods and revenue
shares, market dependencies, activity shares, a few regulations (one prohibiting telemarketing
for the French market) and events (regulations enacted, contracts terminated, relocations).
Group sizes follow seeded power laws and clients are picked by preferential attachment, so the
degree distributions are skewed as in real registries.

Each document is one synthetic source. It is written either as a YAML fact file (for the real
loader, at small sizes) or straight to N-Quads with the IRIs, named graphs, provenance, quotes,
line numbers and Quantity nodes the loader would produce for that YAML file (the figures are
read by the loader's own ``okg.figures.quantities``). Same seed, same bytes.

>>> docs = generate(3_000, seed=1)
>>> sum(d.triples for d in docs) >= 3_000
True
>>> docs[0].source_id
'synthetic-places'

Command line::

    python benchmarks/generate.py --triples 100000 --seed 7 --out /tmp/g.nq [--yaml-dir /tmp/g]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from okg.figures.quantities import make_quantity, parse_text, unit_from_name
from okg.terms.namespaces import OKG, OKGD, PROV, source_graph, source_node
from okg.terms.vocabulary import Vocabulary, load_vocabulary

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_TITLE = "http://purl.org/dc/terms/title"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Offshore delivery countries with their cities, and the client markets they serve.
DELIVERY = {
    "MA": ["casablanca", "rabat", "fes", "tangier", "marrakech", "agadir", "oujda"],
    "TN": ["tunis", "sfax", "sousse"],
    "SN": ["dakar"],
    "MU": ["port-louis", "ebene"],
    "MG": ["antananarivo"],
    "CI": ["abidjan"],
    "PT": ["lisbon", "porto"],
    "RO": ["bucharest", "iasi"],
    "FR": ["paris", "lille", "lyon", "marseille"],
    "BE": ["brussels", "liege", "charleroi"],
}
DELIVERY_WEIGHTS = {
    "MA": 30,
    "TN": 14,
    "SN": 6,
    "MU": 5,
    "MG": 4,
    "CI": 3,
    "PT": 8,
    "RO": 6,
    "FR": 14,
    "BE": 10,
}
MARKETS = {"FR": 55, "BE": 12, "CH": 6, "CA": 5, "ES": 8, "DE": 7, "GB": 4, "NL": 3}
MARKET_LANGUAGES = {
    "FR": ["fr"],
    "BE": ["fr", "nl"],
    "CH": ["fr", "de"],
    "CA": ["fr", "en"],
    "ES": ["es"],
    "DE": ["de"],
    "GB": ["en"],
    "NL": ["nl"],
}
CLIENT_SECTORS = ["35.14", "61.10", "64.19", "65.12", "47.91", "35.23", "62.01", "63.11"]
ACTIVITIES = [
    "telemarketing",
    "customer-care",
    "billing-enquiries",
    "technical-support",
    "contract-negotiation",
    "meter-transfers",
    "content-moderation",
    "omnichannel-digital",
    "business-support",
]
SOURCE_LANGUAGES = ["fr", "fr", "ar", "en"]
QUOTE = {
    "fr": "Extrait synthétique du registre, fiche {rid}",
    "en": "Synthetic registry extract, record {rid}",
    "ar": "مقتطف اصطناعي من السجل، البطاقة {rid}",
}
NAME_PARTS = [
    "Atlas",
    "Sahara",
    "Medina",
    "Horizon",
    "Littoral",
    "Cedre",
    "Azur",
    "Nova",
    "Orion",
    "Delta",
    "Argan",
    "Oasis",
    "Rif",
    "Tell",
    "Baobab",
    "Ocean",
]
# The regulations every graph carries: (id, jurisdiction, prohibited activity, market, date).
CLIENT_TRIPLES = 8  # type, source, line, two labels, country, sector, quote
REGULATIONS = [
    ("fr-telemarketing-ban", "FR", "telemarketing", "FR", "2026-08-01"),
    ("es-cold-call-rule", "ES", "telemarketing", "ES", "2025-07-01"),
    ("de-moderation-rule", "DE", "content-moderation", "DE", "2026-01-01"),
]


@dataclass
class Record:
    """One record of a fact file: ``id``, ``type`` and fields in file order."""

    id: str
    type: str
    fields: list[tuple[str, str | list[str] | dict[str, str]]]


@dataclass
class Document:
    """One synthetic source: its fact file and the number of triples it maps to."""

    source_id: str
    title: str
    language: str
    records: list[Record] = field(default_factory=list)
    triples: int = 0

    @property
    def file_name(self) -> str:
        return f"{self.source_id}.yaml"


# -- YAML ---------------------------------------------------------------------------------------


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _yaml_value(value: str | list[str] | dict[str, str]) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_q(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_q(v) for v in value) + "]"
    return _q(value)


def render_yaml(doc: Document) -> tuple[str, list[int]]:
    """The fact file of *doc*, and the line of each record (the line of its ``- id:``)."""
    lines = [
        "# Synthetic data made by benchmarks/generate.py: not real facts.",
        "okg: 1",
        "source:",
        f"  id: {doc.source_id}",
        f"  title: {_q(doc.title)}",
        f"  language: {doc.language}",
        f"  note: {_q('Synthetic benchmark data; every name and figure is made up.')}",
        "modules: [call_centres]",
        "facts:",
    ]
    starts = []
    for rec in doc.records:
        starts.append(len(lines) + 1)
        lines.append(f"  - id: {rec.id}")
        lines.append(f"    type: {rec.type}")
        lines += [f"    {k}: {_yaml_value(v)}" for k, v in rec.fields]
    return "\n".join(lines) + "\n", starts


# -- N-Quads, as the loader maps the YAML ------------------------------------------------------


def _lit(text: str, suffix: str = "") -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"{suffix}'


class QuadWriter:
    """Maps documents to N-Quads exactly as ``okg.loaders.facts`` maps their YAML files."""

    def __init__(self, voc: Vocabulary):
        self.voc = voc
        self.iris: dict[str, str] = {}
        self._classes: dict[str, tuple[str, bool]] = {}
        self._keyed: dict[str, dict[str, str]] = {}

    def declare(self, doc: Document) -> None:
        """Mint the IRI of every record of *doc*: facts are scoped by their source."""
        self.iris = {}
        for rec in doc.records:
            _, is_fact = self._class(rec.type)
            self.iris[rec.id] = str(OKGD[f"{doc.source_id}/{rec.id}"] if is_fact else OKGD[rec.id])

    def _class(self, name: str) -> tuple[str, bool]:
        if name not in self._classes:
            iri = self.voc.expand(name)
            if iri is None or not self.voc.is_class(iri):
                raise ValueError(f"unknown class {name}")
            self._classes[name] = (str(iri), self.voc.is_subclass(iri, OKG.Fact))
        return self._classes[name]

    def count(self, doc: Document) -> int:
        return sum(1 for _ in self.quads(doc))

    def _reference(self, prop, text: str) -> str:
        rng = str(prop.range)
        if rng not in self._keyed:
            keyed = self.voc.keyed_individuals(prop.range)
            self._keyed[rng] = {k: str(v) for k, v in keyed.items()}
        # A key of the range (FR, telemarketing), a record of this document, or an entity
        # declared in another document (entities have global IRIs: okgd:ID).
        return self._keyed[rng].get(text) or self.iris.get(text) or str(OKGD[text])

    def quads(self, doc: Document) -> Iterator[str]:
        """The N-Quads lines of *doc*."""
        voc = self.voc
        self.declare(doc)
        g = f"<{source_graph(doc.source_id)}> .\n"
        src = f"<{source_node(doc.source_id)}>"
        langs = voc.keyed_individuals(OKG.Language)
        yield f"{src} <{RDF_TYPE}> <{OKG.Source}> {g}"
        yield f"{src} <{DCT_TITLE}> {_lit(doc.title)} {g}"
        yield f"{src} <{OKG.sourceLanguage}> <{langs[doc.language]}> {g}"
        note = "Synthetic benchmark data; every name and figure is made up."
        yield f"{src} <{OKG.note}> {_lit(note)} {g}"
        yield f"{src} <{OKG.factFile}> {_lit(doc.file_name)} {g}"
        _, starts = render_yaml(doc)
        for rec, line in zip(doc.records, starts, strict=True):
            s = f"<{self.iris[rec.id]}>"
            cls, _ = self._class(rec.type)
            yield f"{s} <{RDF_TYPE}> <{cls}> {g}"
            yield f"{s} <{PROV.hadPrimarySource}> {src} {g}"
            yield f"{s} <{OKG.line}> {_lit(str(line), f'^^<{XSD}integer>')} {g}"
            for key, value in rec.fields:
                if key == "label":
                    for lang, text in value.items():
                        yield f"{s} <{RDFS_LABEL}> {_lit(text, '@' + lang)} {g}"
                    continue
                if key == "quote":
                    for text in value if isinstance(value, list) else [value]:
                        yield f"{s} <{OKG.quote}> {_lit(text.strip(), '@' + doc.language)} {g}"
                    continue
                prop = voc.by_key[key]
                for v in value if isinstance(value, list) else [value]:
                    yield from self._value(prop, v, s, g)

    def _value(self, prop, v: str, s: str, g: str) -> Iterator[str]:
        voc = self.voc
        p = f"<{prop.iri}>"
        if prop.is_object and prop.range is not None and voc.is_subclass(prop.range, OKG.Quantity):
            form, values, percent = parse_text(v)
            unit = unit_from_name("percent" if percent else None, prop.default_unit, voc)
            q = make_quantity(form, values, unit, v.strip(), voc)
            qn = f"<{s[1:-1]}/{voc.qname(prop.iri).replace(':', '-')}>"
            yield f"{s} {p} {qn} {g}"
            yield f"{qn} <{RDF_TYPE}> <{OKG.Quantity}> {g}"
            yield f"{qn} <{OKG.qualifier}> <{q.qualifier}> {g}"
            yield f"{qn} <{OKG.unit}> <{q.unit}> {g}"
            yield f"{qn} <{OKG.statedAs}> {_lit(q.stated_as)} {g}"
            dec = f"^^<{XSD}decimal>"
            for pred, x in ((OKG.low, q.low), (OKG.high, q.high), (OKG.pointValue, q.point)):
                if x is not None:
                    yield f"{qn} <{pred}> {_lit(str(x), dec)} {g}"
            if q.vague_term is not None:
                yield f"{qn} <{OKG.vagueTerm}> <{q.vague_term}> {g}"
        elif prop.is_object:
            yield f"{s} {p} <{self._reference(prop, v)}> {g}"
        elif str(prop.range) == XSD + "date":
            yield f"{s} {p} {_lit(v, f'^^<{XSD}date>')} {g}"
        else:
            yield f"{s} {p} {_lit(v)} {g}"


# -- the synthetic world -----------------------------------------------------------------------


def _quote(lang: str, rid: str) -> tuple[str, str]:
    return ("quote", QUOTE[lang].format(rid=rid))


def _zipf(rng: random.Random, alpha: float, cap: int) -> int:
    """A power-law draw in 1..cap (Pareto with shape *alpha*, floored)."""
    return min(int(rng.paretovariate(alpha)), cap)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


def _headcount(rng: random.Random, n: int) -> str:
    r = rng.random()
    if r < 0.04:
        return "unknown"
    if r < 0.08:
        return "hundreds" if n >= 200 else "dozens"
    if r < 0.45:
        return str(n)
    if r < 0.75:
        return f"about {n}"
    if r < 0.87:
        return f"more than {max(n - n // 10, 1)}"
    return f"{max(n - n // 5, 1)} to {n + n // 5}"


def _share(rng: random.Random, pct: int) -> str:
    pct = max(1, min(pct, 100))
    r = rng.random()
    if r < 0.05:
        return "unknown"
    if r < 0.45 or pct in (1, 100):
        return f"{pct}%"
    if r < 0.7:
        return f"about {pct}%"
    if r < 0.85:
        return f"more than {pct - 1}%"
    return f"{max(pct - 5, 0)} to {min(pct + 5, 100)}%"


class World:
    """Draws the records, document by document, from one seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.clients: list[str] = []
        self.client_slots: list[str] = []  # one entry per contract: preferential attachment
        self.client_market: dict[str, str] = {}
        self.small_providers: list[tuple[str, str]] = []  # (provider id, its site id)
        self.contracts: list[tuple[str, str, str]] = []  # (contract id, provider, site)
        self.n_providers = 0

    def places(self) -> Document:
        doc = Document("synthetic-places", "[synthetic] Places of the benchmark graph", "en")
        for country, cities in DELIVERY.items():
            for c in cities:
                name = c.replace("-", " ").title()
                doc.records.append(
                    Record(
                        f"city-{c}",
                        "City",
                        [
                            ("label", {"en": name, "fr": name}),
                            ("country", country),
                            _quote("en", f"city-{c}"),
                        ],
                    )
                )
        return doc

    def regulations(self) -> Document:
        doc = Document(
            "synthetic-regulations", "[synthetic] Regulations of the benchmark graph", "fr"
        )
        for rid, juris, act, market, effective in REGULATIONS:
            doc.records.append(
                Record(
                    rid,
                    "Regulation",
                    [
                        ("label", {"en": f"{juris} rule on {act}", "fr": f"Règle {juris} : {act}"}),
                        ("jurisdiction", juris),
                        ("prohibits", act),
                        ("appliesToMarket", market),
                        ("effective", effective),
                        _quote("fr", rid),
                    ],
                )
            )
            doc.records.append(
                Record(
                    f"{rid}-enacted",
                    "RegulationEnacted",
                    [
                        ("label", {"en": f"{juris} rule on {act} enacted"}),
                        ("enacts", rid),
                        (
                            "date",
                            (dt.date.fromisoformat(effective) - dt.timedelta(days=400)).isoformat(),
                        ),
                        _quote("fr", f"{rid}-enacted"),
                    ],
                )
            )
        return doc

    def client(self) -> str:
        """A client for a new contract: a known one by popularity, or a new one."""
        rng = self.rng
        if self.client_slots and rng.random() < 0.7:
            return rng.choice(self.client_slots)
        cid = f"client-{len(self.clients):06d}"
        self.clients.append(cid)
        self.client_market[cid] = _pick(rng, MARKETS)
        return cid

    def client_documents(self, chunk: int = 250) -> Iterator[Document]:
        rng = self.rng
        for i in range(0, len(self.clients), chunk):
            doc = Document(
                f"synthetic-clients-{i // chunk:04d}",
                f"[synthetic] Client firms, part {i // chunk + 1}",
                "fr",
            )
            for cid in self.clients[i : i + chunk]:
                name = f"{rng.choice(NAME_PARTS)} {cid[-6:]}"
                doc.records.append(
                    Record(
                        cid,
                        "Firm",
                        [
                            ("label", {"en": f"{name} SA", "fr": f"{name} SA"}),
                            ("country", self.client_market[cid]),
                            ("sector", rng.choice(CLIENT_SECTORS)),
                            _quote("fr", cid),
                        ],
                    )
                )
            yield doc

    def provider(self, budget: int) -> Document:
        """One provider (a small firm or a large group) with everything about it.

        *budget* (triples still to make) caps the group's size so that small graphs do not
        overshoot their target by one large group.
        """
        rng = self.rng
        n = self.n_providers
        self.n_providers += 1
        pid = f"provider-{n:06d}"
        lang = rng.choice(SOURCE_LANGUAGES)
        doc = Document(f"synthetic-{pid}", f"[synthetic] Registry extract: provider {n}", lang)
        n_sites = _zipf(rng, 1.6, max(1, min(40, budget // 400)))
        n_contracts = _zipf(rng, 1.15, max(1, min(400, budget // 60)))
        home = _pick(rng, DELIVERY_WEIGHTS)
        name = f"{rng.choice(NAME_PARTS)} Contact {n}"
        doc.records.append(
            Record(
                pid,
                "cc:ContactCentreOperator",
                [
                    ("label", {"en": name, "fr": name}),
                    ("country", home),
                    ("sector", "82.20"),
                    _quote(lang, pid),
                ],
            )
        )
        sites = []
        for i in range(n_sites):
            country = home if i == 0 or rng.random() < 0.6 else _pick(rng, DELIVERY_WEIGHTS)
            city = rng.choice(DELIVERY[country])
            sid = f"{pid}-site-{i:02d}"
            sites.append(sid)
            doc.records.append(
                Record(
                    sid,
                    "cc:ContactCentre",
                    [
                        (
                            "label",
                            {
                                "en": f"{name} {city.title()} centre",
                                "fr": f"Centre {name} de {city.title()}",
                            },
                        ),
                        ("siteOf", pid),
                        ("city", f"city-{city}"),
                        ("country", country),
                        _quote(lang, sid),
                    ],
                )
            )
            size = int(rng.paretovariate(1.3) * 40)
            for kind, part in (("permanent", 0.6 + rng.random() * 0.3), ("temporary", None)):
                heads = int(size * part) if part else size - int(size * 0.75)
                wid = f"{sid}-{kind}"
                doc.records.append(
                    Record(
                        wid,
                        "Workforce",
                        [
                            ("employer", pid),
                            ("site", sid),
                            ("employmentType", kind),
                            ("headcount", _headcount(rng, max(heads, 1))),
                            _quote(lang, wid),
                        ],
                    )
                )
        small = n_sites == 1 and n_contracts == 1
        markets: dict[str, int] = {}
        acts: dict[str, int] = {}
        # Large groups hand some work to small firms made earlier: subcontracts.
        subcontracts = min(n_contracts // 8, len(self.small_providers))
        for i in range(n_contracts):
            sub = i < subcontracts
            if sub:
                sub_pid, sub_site = self.small_providers[rng.randrange(len(self.small_providers))]
                client, provider, site = pid, sub_pid, sub_site
                market = _pick(rng, MARKETS)
            else:
                client, provider, site = self.client(), pid, rng.choice(sites)
                self.client_slots.append(client)
                market = self.client_market[client]
            markets[market] = markets.get(market, 0) + 1
            if small or (rng.random() < 0.15 and market in ("FR", "ES")):
                activity = ["telemarketing"]
            else:
                activity = sorted(
                    rng.sample(ACTIVITIES[1:], rng.randint(1, 3)), key=ACTIVITIES.index
                )
                if rng.random() < 0.25:
                    activity.insert(0, "telemarketing")
            for a in activity:
                acts[a] = acts.get(a, 0) + 1
            kid = f"{pid}-contract-{i:03d}"
            start = _day(rng, 2015, 2025)
            fields: list = [
                ("label", {"en": f"{'Subcontract' if sub else 'Contract'} {kid}"}),
                ("client", client),
                ("provider", provider),
                ("activity", activity),
                ("language", rng.choice(MARKET_LANGUAGES[market])),
                ("servesMarket", market),
                ("deliveredFrom", site),
                ("start", start.isoformat()),
            ]
            if rng.random() < 0.35:
                end = start + dt.timedelta(days=rng.randint(180, 2500))
                fields.append(("end", end.isoformat()))
            share = int(100 / n_contracts * (0.5 + rng.random()))
            fields.append(("revenueShare", _share(rng, share)))
            fields.append(_quote(lang, kid))
            doc.records.append(Record(kid, "Contract", fields))
            self.contracts.append((kid, provider, site))
            jid = f"{kid}-jobs"
            doc.records.append(
                Record(
                    jid,
                    "Workforce",
                    [
                        ("employer", provider),
                        ("site", site),
                        ("attributedTo", kid),
                        ("employmentType", "all"),
                        ("headcount", _headcount(rng, int(rng.paretovariate(1.2) * 12))),
                        _quote(lang, jid),
                    ],
                )
            )
            # About 3% of the contracts end, 1% relocate; at fixed ranks so every graph has both.
            rank = len(self.contracts)
            if rank % 33 == 5:
                eid = f"{kid}-terminated"
                doc.records.append(
                    Record(
                        eid,
                        "ContractTerminated",
                        [
                            ("label", {"en": f"End of {kid}"}),
                            ("terminates", kid),
                            ("date", _day(rng, 2025, 2026).isoformat()),
                            _quote(lang, eid),
                        ],
                    )
                )
            elif rank % 97 == 11:
                eid = f"{kid}-relocation"
                to = _pick(rng, DELIVERY_WEIGHTS)
                doc.records.append(
                    Record(
                        eid,
                        "Relocation",
                        [
                            ("label", {"en": f"{kid} moves to {to}"}),
                            ("terminates", kid),
                            ("from", site),
                            ("to", to),
                            ("affects", provider),
                            ("date", _day(rng, 2025, 2026).isoformat()),
                            _quote(lang, eid),
                        ],
                    )
                )
        total = sum(markets.values())
        for market, k in sorted(markets.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
            did = f"{pid}-depends-{market.lower()}"
            doc.records.append(
                Record(
                    did,
                    "MarketDependency",
                    [
                        ("dependent", pid),
                        ("market", market),
                        ("share", _share(rng, round(100 * k / total))),
                        _quote(lang, did),
                    ],
                )
            )
        total = sum(acts.values())
        for act, k in sorted(acts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
            aid = f"{pid}-activity-{act}"
            doc.records.append(
                Record(
                    aid,
                    "ActivityShare",
                    [
                        ("holder", pid),
                        ("activityShareOf", act),
                        ("share", _share(rng, round(100 * k / total))),
                        _quote(lang, aid),
                    ],
                )
            )
        if small:
            self.small_providers.append((pid, sites[0]))
        return doc


def generate(triples: int, seed: int = 1, voc: Vocabulary | None = None) -> list[Document]:
    """Documents of a synthetic graph of at least *triples* data triples (ontology excluded)."""
    writer = QuadWriter(voc or load_vocabulary())
    world = World(seed)
    docs = [world.places(), world.regulations()]
    for d in docs:
        d.triples = writer.count(d)
    counted = sum(d.triples for d in docs)
    # Client documents come last; a client firm maps to CLIENT_TRIPLES triples.
    while counted + CLIENT_TRIPLES * len(world.clients) < triples:
        doc = world.provider(triples - counted - CLIENT_TRIPLES * len(world.clients))
        doc.triples = writer.count(doc)
        counted += doc.triples
        docs.append(doc)
    for d in world.client_documents():
        d.triples = writer.count(d)
        docs.append(d)
    return docs


def write_nquads(docs: list[Document], path: Path, voc: Vocabulary | None = None) -> int:
    """Write every document to one N-Quads file; returns the number of quads."""
    writer = QuadWriter(voc or load_vocabulary())
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for d in docs:
            for line in writer.quads(d):
                out.write(line)
                n += 1
    return n


def write_yaml(docs: list[Document], folder: Path) -> list[Path]:
    """Write each document as a YAML fact file in *folder*; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in docs:
        p = folder / d.file_name
        p.write_text(render_yaml(d)[0], encoding="utf-8", newline="\n")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, required=True, help="target number of data triples")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="N-Quads file to write")
    ap.add_argument("--yaml-dir", type=Path, help="folder for YAML fact files (small sizes)")
    args = ap.parse_args(argv)
    if not args.out and not args.yaml_dir:
        ap.error("give --out and/or --yaml-dir")
    voc = load_vocabulary()
    docs = generate(args.triples, args.seed, voc)
    if args.out:
        n = write_nquads(docs, args.out, voc)
        print(f"{args.out}: {n} quads in {len(docs)} source graphs", file=sys.stderr)
    if args.yaml_dir:
        paths = write_yaml(docs, args.yaml_dir)
        print(f"{args.yaml_dir}: {len(paths)} fact files", file=sys.stderr)


if __name__ == "__main__":
    main()

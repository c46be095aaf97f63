"""Sector modules: list the installed ones, lint and check one, scaffold a new one.

A sector module is a Turtle file holding an ``owl:Ontology`` with ``okg:sectorModule "name"`` and
``okg:prefix "p"``, that ``owl:imports`` the core and adds classes, relations (sub-properties of
core relations, so that impact propagates through them), keyed individuals and SHACL shapes.
Modules are found in ``ontology/sectors/`` and in the folders of ``$OKG_SECTOR_PATH``.

>>> from okg.store.sectors import list_modules
>>> sorted(m.name for m in list_modules())[:2]
['automotive', 'call_centres']
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from okg.loaders.yamlnodes import YamlSyntaxError, parse_yaml, to_plain
from okg.terms.namespaces import OKG, OKGD
from okg.terms.resources import SECTOR_PATH_ENV, data_dir, ontology_dir
from okg.terms.vocabulary import (
    Module,
    Vocabulary,
    VocabularyError,
    discover_modules,
    load_vocabulary,
)
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

CORE_ONTOLOGY = URIRef("https://w3id.org/okg/ontology")
LANGUAGES = ("en", "fr", "ar")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9]*$")
TERM_KINDS = {
    "classes": (OWL.Class,),
    "properties": (OWL.ObjectProperty, OWL.DatatypeProperty),
    "individuals": (OWL.NamedIndividual,),
}
_GENERIC = {OWL.Thing, OWL.NamedIndividual, SKOS.Concept}


class SectorError(Exception):
    """A sector command cannot proceed; the message says why."""


# -- the sector path ----------------------------------------------------------------------------


def use_sector_path(dirs: list[Path]) -> None:
    """Put *dirs* in front of ``$OKG_SECTOR_PATH`` so that every command finds their modules."""
    current = [p for p in os.environ.get(SECTOR_PATH_ENV, "").split(os.pathsep) if p]
    wanted = [str(Path(d).resolve()) for d in dirs]
    merged = list(dict.fromkeys(wanted + [str(Path(p).resolve()) for p in current]))
    os.environ[SECTOR_PATH_ENV] = os.pathsep.join(merged)


def origin(module: Module) -> str:
    """Where a module was found: ``bundled`` or ``sector path``."""
    bundled = (ontology_dir() / "sectors").resolve()
    return "bundled" if module.path.resolve().parent == bundled else "sector path"


# -- listing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleSummary:
    """A module with the number of classes, properties and keyed individuals it declares."""

    module: Module
    classes: int
    properties: int
    individuals: int
    origin: str

    @property
    def name(self) -> str:
        return self.module.name


def module_graph(module: Module) -> Graph:
    g = Graph()
    g.parse(module.path, format="turtle")
    return g


def module_terms(module: Module, graph: Graph | None = None) -> dict[str, list[URIRef]]:
    """The module's own classes, properties and individuals (IRIs in its namespace), sorted."""
    g = graph if graph is not None else module_graph(module)
    out: dict[str, list[URIRef]] = {}
    for kind, types in TERM_KINDS.items():
        terms = {
            s
            for t in types
            for s in g.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(module.namespace)
        }
        out[kind] = sorted(terms)
    return out


def list_modules(extra_dirs: list[Path] | None = None) -> list[ModuleSummary]:
    """Every module on the sector path, by name, with its term counts.

    Raises okg.terms.vocabulary.VocabularyError if a module file is not valid Turtle.
    """
    out = []
    for _, m in sorted(discover_modules(extra_dirs).items()):
        terms = module_terms(m)
        out.append(
            ModuleSummary(
                m,
                len(terms["classes"]),
                len(terms["properties"]),
                len(terms["individuals"]),
                origin(m),
            )
        )
    return out


# -- lint ---------------------------------------------------------------------------------------


def _is_datatype(iri: URIRef) -> bool:
    return str(iri).startswith(str(XSD)) or iri in (RDF.langString, RDFS.Literal)


def propagation_of(voc: Vocabulary, prop: URIRef) -> tuple[URIRef, URIRef] | None:
    """(core relation, direction) when *prop* or a super-property declares okg:impactFlow."""
    for q in voc.graph.transitive_objects(prop, RDFS.subPropertyOf):
        flow = voc.graph.value(q, OKG.impactFlow)
        if isinstance(q, URIRef) and flow is not None:
            return q, flow
    return None


def lint_module(module: Module, voc: Vocabulary) -> list[str]:
    """Problems that make a module unusable or incomplete; empty when it is fine.

    Checked: the ontology imports the core; every class, property and individual of the module
    has rdfs:label and skos:definition in en, fr and ar; every super-class, super-property,
    domain, range and type it names is declared (in the core or a module); its keys are unique
    (properties across all modules, individuals among things of a common class).
    """
    g = module_graph(module)
    q = voc.qname
    problems = []
    if (module.iri, OWL.imports, CORE_ONTOLOGY) not in g:
        problems.append(f"{q(module.iri)} does not owl:imports the core <{CORE_ONTOLOGY}>")
    terms = module_terms(module, g)
    for kind in TERM_KINDS:
        for t in terms[kind]:
            for pred, what in ((RDFS.label, "rdfs:label"), (SKOS.definition, "skos:definition")):
                have = {lit.language for lit in g.objects(t, pred) if isinstance(lit, Literal)}
                missing = [lang for lang in LANGUAGES if lang not in have]
                if missing:
                    problems.append(f"{q(t)} has no {what} in {', '.join(missing)}")
    for c in terms["classes"]:
        for sup in g.objects(c, RDFS.subClassOf):
            if isinstance(sup, URIRef) and not voc.is_class(sup):
                problems.append(f"{q(c)} rdfs:subClassOf {q(sup)}, which is not a declared class")
    for p in terms["properties"]:
        for sup in g.objects(p, RDFS.subPropertyOf):
            if isinstance(sup, URIRef) and sup not in voc.properties:
                problems.append(
                    f"{q(p)} rdfs:subPropertyOf {q(sup)}, which is not a declared property"
                )
        for pred in (RDFS.domain, RDFS.range):
            for c in g.objects(p, pred):
                if isinstance(c, URIRef) and not voc.is_class(c) and not _is_datatype(c):
                    problems.append(f"{q(p)} {q(pred)} {q(c)}, which is not a declared class")
    for i in terms["individuals"]:
        for t in voc.types_of(i):
            if not voc.is_class(t):
                problems.append(f"{q(i)} is typed {q(t)}, which is not a declared class")
    problems += _key_clashes(module, voc, terms)
    return problems


def _key_clashes(module: Module, voc: Vocabulary, terms: dict[str, list[URIRef]]) -> list[str]:
    problems = []
    seen: dict[str, URIRef] = {}
    for p in terms["properties"]:
        key = voc.graph.value(p, OKG.key)
        if key is None:
            continue
        if str(key) in seen:
            first = voc.qname(seen[str(key)])
            problems.append(f"key '{key}' is used by {first} and {voc.qname(p)}")
        seen[str(key)] = p
    for i in terms["individuals"]:
        key = voc.graph.value(i, OKG.key)
        if key is None:
            continue
        mine = set().union(*(voc.superclasses(t) for t in voc.types_of(i))) - _GENERIC
        for other in voc.graph.subjects(OKG.key, key):
            if other == i or not isinstance(other, URIRef):
                continue
            theirs = set().union(*(voc.superclasses(t) for t in voc.types_of(other))) - _GENERIC
            shared = mine & theirs
            if shared:
                common = voc.qname(sorted(shared)[0])
                problems.append(
                    f"key '{key}' of {voc.qname(i)} is also the key of "
                    f"{voc.qname(other)} (both are {common})"
                )
    return problems


# -- check --------------------------------------------------------------------------------------


@dataclass
class SectorCheck:
    """The outcome of ``okg sector check``: lint problems, example files, SHACL and reasoner."""

    module: Module
    problems: list[str] = field(default_factory=list)
    propagating: list[str] = field(default_factory=list)
    examples: list[Path] = field(default_factory=list)
    data_errors: list[str] = field(default_factory=list)
    reasoner: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and not self.data_errors


def example_files(module: Module) -> list[Path]:
    """YAML fact files next to the module or in the data pack whose ``modules:`` list it."""
    folders = [module.path.parent, data_dir()]
    out = []
    for folder in dict.fromkeys(f.resolve() for f in folders):
        for path in sorted(folder.glob("*.y*ml")):
            try:
                doc = to_plain(parse_yaml(path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, YamlSyntaxError):
                continue
            listed = doc.get("modules") if isinstance(doc, dict) else None
            if module.name in (listed if isinstance(listed, list) else [listed]):
                out.append(path)
    return out


def check_module(
    name: str, examples: list[Path] | None = None, reasoner: bool = True
) -> SectorCheck:
    """Lint module *name*, load its example fact files with SHACL, and run HermiT on the lot.

    Raises SectorError when no module has that name or the modules cannot be read together.
    """
    from okg.loaders import read_files
    from okg.store.shacl import check_bundles

    try:
        modules = discover_modules()
        voc = load_vocabulary()
    except VocabularyError as exc:
        raise SectorError(str(exc)) from None
    if name not in modules:
        raise SectorError(
            f"no sector module '{name}'; installed: {', '.join(sorted(modules))} "
            f"(add its folder with --sector-path or ${SECTOR_PATH_ENV})"
        )
    module = modules[name]
    report = SectorCheck(module, problems=lint_module(module, voc))
    for p in module_terms(module)["properties"]:
        found = propagation_of(voc, p)
        if found:
            report.propagating.append(
                f"{voc.qname(p)} ⊑ {voc.qname(found[0])} ({voc.qname(found[1]).split(':')[-1]})"
            )
    report.examples = list(examples) if examples is not None else example_files(module)
    if not report.examples:
        report.problems.append(
            f"no example fact file lists modules: [{name}] (looked next to "
            f"{module.path.name} and in the data pack)"
        )
        return report
    bundles = read_files(report.examples, voc, raise_on_error=False)
    errors = [e for b in bundles for e in b.errors]
    if not errors:
        errors = check_bundles(bundles, voc)
    report.data_errors = [str(e) for e in errors]
    if reasoner and not errors:
        report.reasoner = _reason(voc, bundles, report)
    return report


def _reason(voc: Vocabulary, bundles, report: SectorCheck) -> str:
    from okg.store.reasoning import check_consistency

    graph = Graph()
    graph += voc.graph
    for b in bundles:
        graph += b.graph
    try:
        result = check_consistency(graph)
    except RuntimeError as exc:
        report.problems.append(str(exc))
        return ""
    if not result.consistent:
        report.problems.append(result.message)
        return ""
    return result.message


# -- scaffolding --------------------------------------------------------------------------------


def default_prefix(name: str) -> str:
    """The module name without underscores, at most 8 letters: ``aero_parts`` -> ``aeropart``."""
    return name.replace("_", "")[:8]


def scaffold(
    name: str, directory: Path, prefix: str | None = None, namespace: str | None = None
) -> list[Path]:
    """Write NAME.ttl, NAME-example.yaml and test_NAME.py in *directory*; return their paths.

    Refuses (SectorError) to overwrite a file, or to reuse a module name or prefix already
    installed. The module has one class, one relation that propagates impact (a sub-property
    of okg:provider), one keyed activity, a SHACL shape and en/fr/ar labels and definitions.
    """
    if not NAME_PATTERN.match(name):
        raise SectorError(
            f"module name '{name}': expected lower-case letters, digits and '_', "
            "starting with a letter (it is also a Python test file name)"
        )
    prefix = prefix or default_prefix(name)
    if not PREFIX_PATTERN.match(prefix):
        raise SectorError(
            f"prefix '{prefix}': expected lower-case letters and digits, starting with a letter"
        )
    slug = name.replace("_", "-")
    namespace = namespace or f"https://w3id.org/okg/sector/{slug}#"
    if not namespace.endswith(("#", "/")) or not re.match(r"^https?://\S+$", namespace):
        raise SectorError(f"namespace '{namespace}': expected an http(s) IRI ending in '#' or '/'")
    try:
        installed = discover_modules([directory])
        voc = load_vocabulary()
    except VocabularyError as exc:
        raise SectorError(str(exc)) from None
    if name in installed:
        raise SectorError(f"a sector module named '{name}' already exists: {installed[name].path}")
    if prefix in voc.prefixes or prefix in {m.prefix for m in installed.values()}:
        raise SectorError(f"prefix '{prefix}' is already used; choose another with --prefix")
    files = {
        directory / f"{name}.ttl": MODULE_TEMPLATE,
        directory / f"{name}-example.yaml": EXAMPLE_TEMPLATE,
        directory / f"test_{name}.py": TEST_TEMPLATE,
    }
    existing = [str(p) for p in files if p.exists()]
    if existing:
        raise SectorError(f"refusing to overwrite {', '.join(existing)}")
    values = {
        "name": name,
        "prefix": prefix,
        "ns": namespace,
        "onto": namespace.rstrip("#/"),
        "slug": slug,
        "title": name.replace("_", " "),
        "okgd": str(OKGD),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for path, template in files.items():
        path.write_text(Template(template).substitute(values), encoding="utf-8")
    return list(files)


MODULE_TEMPLATE = """\
# Sector module: $title. Made by `okg sector new $name`: rename and extend the example terms
# with your sector's own words, then run `okg sector check $name`.
# Fact files use it with `modules: [$name]` and write its terms as `$prefix:Name` or by key.

@prefix $prefix: <$ns> .
@prefix okg:  <https://w3id.org/okg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .

<$onto> a owl:Ontology ;
    owl:imports <https://w3id.org/okg/ontology> ;
    okg:sectorModule "$name" ; okg:prefix "$prefix" ;
    rdfs:label "$title sector module"@en , "Module sectoriel $title"@fr , "وحدة قطاع $title"@ar ;
    skos:definition "Firms, relations and activities of the $title sector."@en ,
        "Entreprises, relations et activités du secteur $title."@fr ,
        "شركات قطاع $title وعلاقاته وأنشطته."@ar .

# A class: a kind of firm of the sector (a sub-class of a core class).
$prefix:Producer a owl:Class ;
    rdfs:subClassOf okg:Firm ;
    rdfs:label "producer"@en , "producteur"@fr , "منتِج"@ar ;
    skos:definition "A firm of the $title sector that carries out contracts for clients."@en ,
        "Une entreprise du secteur $title qui exécute des contrats pour des clients."@fr ,
        "شركة من قطاع $title تنفذ عقودًا لفائدة زبناء."@ar .

# A relation of the sector's own: a sub-property of a core relation that carries impact
# (okg:provider), so an event that takes a contract away reaches the producer, in proportion
# to the contract's share of its revenue, with no code change.
$prefix:madeBy a owl:ObjectProperty ;
    rdfs:subPropertyOf okg:provider ;
    okg:key "${prefix}MadeBy" ; rdfs:domain okg:Contract ; rdfs:range okg:EconomicActor ;
    rdfs:label "made by"@en , "réalisé par"@fr , "من إنجاز"@ar ;
    skos:definition "The firm that carries out a contract for its client."@en ,
        "L'entreprise qui exécute un contrat pour son client."@fr ,
        "الشركة التي تنفذ عقدًا لفائدة زبونها."@ar .

# A keyed activity: fact files name it by its key.
$prefix:MainActivity a okg:Activity , owl:NamedIndividual ; okg:key "$slug-main-activity" ;
    rdfs:label "main activity of the $title sector"@en ,
        "activité principale du secteur $title"@fr ,
        "النشاط الرئيسي لقطاع $title"@ar ;
    skos:definition "The work most firms of the $title sector do for their clients."@en ,
        "Le travail que font la plupart des entreprises du secteur $title pour leurs clients."@fr ,
        "العمل الذي تنجزه أغلب شركات قطاع $title لفائدة زبنائها."@ar .

# A SHACL shape: what every producer must have.
$prefix:ProducerShape a sh:NodeShape ;
    sh:targetClass $prefix:Producer ;
    sh:property [ sh:path okg:country ; sh:minCount 1 ;
                  sh:message "A producer needs a country." ] .
"""

EXAMPLE_TEMPLATE = """\
# Example facts for the $title sector module. ILLUSTRATIVE, NOT REPORTING: every firm, figure
# and date is invented to show that the module loads, is queried and propagates impact.
okg: 1
source:
  id: $slug-example
  title: "Illustrative example for the $title sector module"
  language: en
  note: "Illustrative scenario, not reporting: nothing here is taken from a source."
modules: [$name]

facts:
  - id: $slug-client
    type: Firm
    label: {en: Example client (fictional), fr: Client d'exemple (fictif), ar: زبون مثال (خيالي)}
    country: FR
    illustrative: true

  - id: $slug-producer
    type: $prefix:Producer
    label:
      en: Example producer (fictional)
      fr: Producteur d'exemple (fictif)
      ar: منتِج مثال (خيالي)
    country: MA
    illustrative: true

  - id: $slug-contract
    type: Contract
    label: {en: Example contract, fr: Contrat d'exemple, ar: عقد مثال}
    client: $slug-client
    ${prefix}MadeBy: $slug-producer
    activity: $slug-main-activity
    revenueShare: 40 to 50
    illustrative: true

  - id: $slug-jobs
    type: Workforce
    employer: $slug-producer
    attributedTo: $slug-contract
    employmentType: all
    headcount: about 200
    illustrative: true

  - id: $slug-contract-ends
    type: ContractTerminated
    label: {en: The example contract ends, fr: Fin du contrat d'exemple, ar: انتهاء العقد المثال}
    terminates: $slug-contract
    date: 2026-06-30
    illustrative: true
"""

TEST_TEMPLATE = '''\
"""The $title sector module loads with its example, is queried, and carries impact.

Run with: OKG_SECTOR_PATH=<this folder> pytest test_$name.py (the test sets it itself).
"""

from pathlib import Path

import pytest
from rdflib import URIRef

HERE = Path(__file__).resolve().parent
ID = "$okgd"
NS = "$ns"


@pytest.fixture()
def kg(monkeypatch):
    monkeypatch.setenv("OKG_SECTOR_PATH", str(HERE))
    from okg.store import KnowledgeGraph

    graph = KnowledgeGraph.in_memory()
    graph.install_vocabulary()
    graph.load([HERE / "$name-example.yaml"])
    return graph


def test_the_sector_relation_is_seen_as_the_core_provider(kg):
    rows = kg.query("""
        SELECT DISTINCT ?client ?provider WHERE {
          ?contract okg:client ?client ; okg:provider ?provider .
        }""").rows
    assert (URIRef(ID + "$slug-client"), URIRef(ID + "$slug-producer")) in rows


def test_the_end_of_the_contract_reaches_the_producer_jobs(kg):
    impact = pytest.importorskip("okg.analysis.impact")
    # the example's records are marked illustrative, so they are traced only when asked
    result = impact.run_impact(kg, "$slug-contract-ends", include_illustrative=True)
    rows = {row.actor: row for row in result.rows}
    producer = rows[ID + "$slug-producer"]
    assert producer.jobs.known and producer.jobs.low > 0
    assert NS + "madeBy" in {step.predicate for step in producer.chain}
'''

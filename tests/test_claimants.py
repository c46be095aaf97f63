"""Who makes a claim (claimedBy → prov:wasAttributedTo) and what a record rests on (basis)."""

from __future__ import annotations

import textwrap

import pytest
from okg.loaders import LoadError, read_files
from okg.store.shacl import validate
from okg.terms.namespaces import OKG, OKGD, PROV, source_node
from okg.terms.resources import data_dir
from okg.terms.vocabulary import load_vocabulary
from rdflib import Graph, Literal

HEAD = """\
okg: 1
source: {id: c-src, title: T, language: en}
facts:
  - id: unions
    type: Association
    label: Unions
    quote: "the unions"
  - id: acme
    type: Firm
    label: Acme
    quote: "Acme"
  - id: kohn
    type: Person
    label: Kohn
    quote: "Kohn"
  - id: liege
    type: City
    label: Liège
    country: BE
    quote: "Liège"
"""


def write(tmp_path, body: str):
    p = tmp_path / "facts.yaml"
    p.write_text(HEAD + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return p


def errors(p):
    with pytest.raises(LoadError) as exc:
        read_files([p])
    return exc.value.errors


JOBS = """\
- id: jobs
  type: Workforce
  employer: acme
  employmentType: all
  headcount: about 163
  quote: "about 163 jobs"
"""


@pytest.mark.parametrize("who", ["unions", "acme", "kohn"])
def test_claimed_by_is_stored_as_prov_attribution(tmp_path, who):
    (b,) = read_files([write(tmp_path, JOBS + f"  claimedBy: {who}\n")])
    assert (OKGD["c-src/jobs"], PROV.wasAttributedTo, OKGD[who]) in b.graph
    assert not validate(b.graph, load_vocabulary())


def test_unknown_claimant_is_refused_with_line_and_field(tmp_path):
    p = write(tmp_path, JOBS + "  claimedBy: nobody\n")
    (err,) = errors(p)
    assert (err.line, err.field) == (27, "claimedBy")
    assert "unknown agent (firm, association or person) 'nobody'" in err.message


def test_a_claimant_must_be_an_agent(tmp_path):
    (err,) = errors(write(tmp_path, JOBS + "  claimedBy: liege\n"))
    assert err.field == "claimedBy" and "'liege' is a city" in err.message


def test_only_facts_are_claimed(tmp_path):
    body = "- id: other\n  type: Firm\n  label: O\n  claimedBy: unions\n  quote: O\n"
    (err,) = errors(write(tmp_path, body))
    assert err.field == "claimedBy" and "does not apply to a firm" in err.message


def test_basis_defaults_to_reported_and_is_stored_when_given(tmp_path):
    (b,) = read_files([write(tmp_path, JOBS)])
    assert not set(b.graph.objects(None, OKG.basis))  # no basis: reported
    body = JOBS + "  basis: inferred\n  reason: the analyst adds the two halves\n"
    (b,) = read_files([write(tmp_path, body)])
    jobs = OKGD["c-src/jobs"]
    assert (jobs, OKG.basis, OKG.Inferred) in b.graph
    assert (jobs, OKG.basisReason, Literal("the analyst adds the two halves")) in b.graph
    assert not validate(b.graph, load_vocabulary())


def test_reason_is_required_for_an_inference(tmp_path):
    (err,) = errors(write(tmp_path, JOBS + "  basis: inferred\n"))
    assert (err.line, err.field) == (27, "reason")
    assert "required with basis: inferred" in err.message


def test_reason_without_an_inference_is_refused(tmp_path):
    (err,) = errors(write(tmp_path, JOBS + "  reason: because\n"))
    assert err.field == "reason" and "basis: inferred" in err.message


def test_unknown_basis_is_refused(tmp_path):
    (err,) = errors(write(tmp_path, JOBS + "  basis: guessed\n"))
    assert err.field == "basis" and "guessed" in err.message
    assert "illustrative, inferred, reported" in err.message


def test_illustrative_basis_and_flag_are_one(tmp_path):
    body = JOBS.replace('  quote: "about 163 jobs"\n', "  basis: illustrative\n")
    (b,) = read_files([write(tmp_path, body)])
    jobs = OKGD["c-src/jobs"]
    assert (jobs, OKG.illustrative, Literal(True)) in b.graph  # no quote needed
    body = JOBS.replace('  quote: "about 163 jobs"\n', "  illustrative: true\n")
    (b,) = read_files([write(tmp_path, body)])
    assert (jobs, OKG.basis, OKG.Illustrative) in b.graph
    (err,) = errors(write(tmp_path, JOBS + "  illustrative: true\n  basis: reported\n"))
    assert err.field == "basis" and "contradicts illustrative: true" in err.message


def test_shapes_refuse_an_inference_without_reason_and_a_claimant_that_is_no_agent():
    g = Graph()
    fact, place = OKGD["x/f"], OKGD["somewhere"]
    g.add((fact, OKG.basis, OKG.Inferred))
    g.add((fact, PROV.wasAttributedTo, place))
    g.add((place, OKG.note, Literal("a place, typed as no agent")))
    messages = {m for _, _, m in validate(g, load_vocabulary())}
    assert "An inferred record says why (reason)." in messages
    assert any("claimedBy" in m for m in messages)


def test_the_data_pack_records_claimants_and_inferences():
    g = Graph()
    for b in read_files(sorted(data_dir().glob("*.yaml"))):
        g += b.graph
    te = "totalenergies-ikanbi-relocation"
    claimed = {
        str(s).rsplit("/", 1)[-1]: str(o).rsplit("/", 1)[-1]
        for s, o in g.subject_objects(PROV.wasAttributedTo)
    }
    for fid in ("ikanbi-jobs-163", "ikanbi-jobs-permanent", "ikanbi-jobs-temporary"):
        assert claimed[fid] == "be-unions"
    assert claimed["total-tender"] == "totalenergies"
    assert "ikanbi-jobs-150" not in claimed  # the article's own summary
    inferred = {str(s).rsplit("/", 1)[-1] for s in g.subjects(OKG.basis, OKG.Inferred)}
    assert inferred == {
        "smes-france-dependency",
        "smes-telemarketing-share",
        "large-groups-telemarketing-share",
    }
    for s in g.subjects(OKG.basis, OKG.Inferred):
        assert g.value(s, OKG.basisReason)
    illustrative = set(g.subjects(OKG.basis, OKG.Illustrative))
    auto = set(g.subjects(PROV.hadPrimarySource, source_node("automotive-harness-illustrative")))
    assert auto and auto == illustrative
    assert OKGD[f"{te}/ikanbi-jobs-163"] not in illustrative

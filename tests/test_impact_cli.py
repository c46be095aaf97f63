"""``okg impact`` end to end on the seed data: list, table, json, md, errors."""

import json

import pytest
from okg.cli import app
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("impact-cli") / "store"
    done = runner.invoke(app, ["build", "--store", str(path)])
    assert done.exit_code == 0, done.output
    return str(path)


def okg(*args):
    return runner.invoke(app, list(args))


def test_list(store):
    done = okg("impact", "--list", "--store", store, "--format", "json")
    assert done.exit_code == 0, done.output
    ids = {e["id"]: e for e in json.loads(done.stdout)}
    assert {"total-relocation", "fr-ban-vote", "ikanbi-contract-ends"} <= set(ids)
    assert ids["fr-ban-vote"]["dates"] == {"reportedOn": "2025-05-25"}
    table = okg("impact", "--list", "--store", store)
    assert table.exit_code == 0 and "total-relocation" in table.stdout


def test_table_report(store):
    done = okg("impact", "total-relocation", "--as-of", "2026-02-01", "--store", store)
    assert done.exit_code == 0, done.output
    out = done.stdout
    # the relocation takes "at most 100%" of IKANBI's contract (docs/sources.md): 0-100% of 135-180
    assert "in transition" in out and "0–180" in out and "possible closure" in out
    assert "× fraction lost 0–100% = 0–180" in out
    assert "Jobs by country" in out and "−180 to 0" in out
    # IKANBI's claims differ but overlap: both ranges shown, and the 13 jobs no part explains
    assert "claims consistent: consistent 151–165, envelope 135–180" in out and "حوالي 163" in out
    assert "13 jobs of the total are in no part of the breakdown" in out
    # chain steps are plain sentences (tests/test_plain_explanations.py), no CURIE
    assert " terminates TotalEnergies French-language" in out and " is the provider of " in out


def test_json_is_the_result_as_data(store):
    done = okg(
        "impact", "fr-ban-vote", "--as-of", "2026-01-01", "--format", "json", "--store", store
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["timing"] == "scheduled, in force from 2026-08-01"
    assert data["measure"] == "exposure"
    top = data["rows"][0]
    assert top["actor"].endswith("/ma-offshore-call-centres")
    assert top["jobs"]["low"] == 24000 and top["jobs"]["high"] == 199999
    assert top["formula"].endswith("= 24,000–199,999")
    assert any("spread evenly" in a for a in data["assumptions"])


def test_markdown_and_languages(store):
    md = okg(
        "impact",
        "totalenergies-ikanbi-relocation/total-relocation",
        "--format",
        "md",
        "--as-of",
        "2026-05-01",
        "--store",
        store,
    )
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Impact of ") and "| 1 | IKANBI |" in md.stdout
    assert "in effect" in md.stdout
    ar = okg("impact", "fr-ban-vote", "--lang", "ar", "--store", store)
    assert ar.exit_code == 0 and "مراكز الاتصال المغربية الموجهة نحو الخارج" in ar.stdout


def test_depth_and_threshold_options(store):
    done = okg(
        "impact",
        "eurocar-plant-stoppage",
        "--include-illustrative",  # the automotive example is illustrative (issue 11)
        "--max-depth",
        "1",
        "--format",
        "json",
        "--as-of",
        "2026-03-10",
        "--store",
        store,
    )
    assert done.exit_code == 0, done.output
    actors = {r["actor"].rsplit("/", 1)[-1] for r in json.loads(done.stdout)["rows"]}
    assert actors == {"eurocar"}
    deep = json.loads(
        okg(
            "impact",
            "eurocar-plant-stoppage",
            "--include-illustrative",
            "--format",
            "json",
            "--store",
            store,
        ).stdout
    )
    assert {"harness-alpha", "harness-beta", "atlas-contact"} <= {
        r["actor"].rsplit("/", 1)[-1] for r in deep["rows"]
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["impact", "no-such-event"],
            "no event 'no-such-event' in the store; run 'okg impact --list'",
        ),
        (["impact"], "okg impact --list"),
        (["impact", "fr-ban-vote", "--as-of", "next week"], "--as-of: 'next week' is not a date"),
        (["impact", "fr-ban-vote", "--format", "pdf"], "--format: unknown format 'pdf'"),
        (
            ["impact", "fr-ban-vote", "--threshold", "2"],
            "--threshold: '2' is not a percent (50%) or a share (0.5)",
        ),
        (["impact", "fr-ban-vote", "--max-depth", "0"], "--max-depth: 0 is less than 1"),
        (["impact", "fr-ban-vote", "--lang", "de"], "--lang: unknown language 'de'"),
    ],
)
def test_errors_are_one_line(store, args, message):
    done = okg(*args, "--store", store)
    assert done.exit_code == 1
    assert message in done.output
    assert "Traceback" not in done.output and len(done.output.strip().splitlines()) == 1


def test_top_and_list_markdown(store):
    done = okg(
        "impact",
        "eurocar-plant-stoppage",
        "--include-illustrative",
        "--top",
        "1",
        "--format",
        "md",
        "--store",
        store,
    )
    assert done.exit_code == 0, done.output
    ranks = [
        line.split("|")[1].strip()
        for line in done.stdout.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip().isdigit()
    ]
    assert ranks == ["1"]
    assert "3 more rows (--top)" in done.stdout and "(PlantStoppage)" in done.stdout
    listed = okg("impact", "--list", "--format", "md", "--store", store)
    assert listed.exit_code == 0 and "| total-relocation |" in listed.stdout
    data = json.loads(
        okg("impact", "total-relocation", "--format", "json", "--store", store).stdout
    )
    assert data["reached"] >= 6


@pytest.mark.parametrize("lang, text", [("en", "0–100%"), ("fr", "0–100\u202f%")])
def test_json_share_text_is_the_percent_the_table_prints(store, lang, text):
    """A share keeps its machine bounds (0..1) and its text is the table's percent (issue 14)."""
    done = okg("impact", "total-relocation", "--format", "json", "--lang", lang, "--store", store)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    shares = [r["revenue_share_lost"] for r in data["rows"] if r["revenue_share_lost"]]
    assert shares and shares[0]["low"] == 0 and shares[0]["high"] == 1
    assert shares[0]["text"] == text
    assert all(c["fraction"]["text"].endswith("%") for c in data["contracts"])

"""The enricher puts the extractors together; the `enrich` command writes the contract."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.enrich.enricher import Enricher, contract_line

POSTING = {
    "id": "p-1",
    "title": "Staff Machine Learning Engineer",
    "company": "Acme",
    "location": "Remote - US",
    "description": (
        "<h3>What you'll do</h3><ul><li>Design the architecture of our ranking systems.</li>"
        "<li>Mentor engineers and review their code.</li></ul><h3>Requirements</h3>"
        "<ul><li>8+ years of experience building ML systems in Python and PyTorch.</li></ul>"
    ),
    "salary_text": "$220K – $260K",
}


class FixedRoleModel:
    name = "fixed-1"

    def predict_rows(self, rows):
        return [("ml_leadership", 0.93) for _ in rows]


def test_enrich_fills_every_contract_field():
    line = contract_line(Enricher(role_model=FixedRoleModel()).enrich(POSTING))
    assert line["id"] == "p-1"
    assert (line["role_family"], line["ml_leadership"], line["is_ml_leadership"]) == (
        "ml_leadership",
        0.93,
        True,
    )
    assert line["seniority"] == "staff"
    assert (line["years_min"], line["years_max"]) == (8, None)
    assert "8+ years" in line["years_evidence"]["text"]
    assert line["remote"] == "remote"
    assert line["salary"] == {"min": 220000.0, "max": 260000.0, "currency": "USD", "period": "year"}
    assert {"Python", "PyTorch"} <= set(line["skills"])
    assert {"architecture", "mentoring"} <= set(line["duties"])
    assert line["model_version"].endswith("+fixed-1")


def test_bad_postings_get_reasons_not_exceptions():
    enricher = Enricher(role_model=None)
    empty, no_title, huge = enricher.enrich_batch(
        [
            {"id": "e", "title": "ML Lead", "description": ""},
            {"id": "t", "description": "Lead the ML team."},
            {"id": "h", "title": "ML Lead", "description": "<p>word </p>" * 300_000},
        ]
    )
    assert "no description text" in empty.reasons
    assert any("missing title" in reason for reason in no_title.reasons)
    assert huge.id == "h" and huge.seniority == "senior"
    assert all(r.role_family is None for r in (empty, no_title, huge))


def test_enrich_command_writes_one_line_per_posting(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "empty-home"))
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(POSTING) + "\n{broken\n" + json.dumps(dict(POSTING, id="p-2")) + "\n"
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["enrich", "--input", str(source), "--output", str(out)])
    assert result.exit_code == 3, result.output  # done, with one bad line
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line.get("id") for line in lines] == ["p-1", None, "p-2"]
    assert "error" in lines[1] and lines[0]["years_min"] == 8
    assert not (tmp_path / "empty-home" / "leadboard.db").exists()  # no store needed


HOSTILE_ROWS = [
    {
        "id": "de",
        "title": "Leiter Maschinelles Lernen (m/w/d)",
        "description": "Sie führen ein Team von ML-Ingenieuren. Mindestens 8 Jahre Erfahrung.",
    },
    {"id": "zh", "title": "机器学习负责人", "description": "领导机器学习团队，五年以上经验。"},
    {
        "id": "soup",
        "title": "<b>Staff</b> ML Engineer",
        "description": "<div><script>alert(1)</script><p>Lead <i>the <b>ranking</p></div></td>"
        "<style>p{}</style>&nbsp;&#0;&bogus; 5+ years of experience",
        "description_format": "html",
    },
    {"id": "blank", "title": "   ", "description": "   \n\t "},
    {"id": "types", "title": 42, "description": ["not", "text"], "location": {"city": 1}},
    {"id": "huge", "title": "ML Lead", "description": "Python and PyTorch. " * 200_000},
]


def test_hostile_input_never_stops_a_batch_with_the_trained_model_and_embeddings(
    role_models_dir,
):
    from leadboard.enrich.embeddings import Embedder, EmbeddingsUnavailable, model_dir
    from leadboard.enrich.role import RoleClassifier

    try:
        model_dir()
    except EmbeddingsUnavailable as error:
        pytest.skip(str(error))
    enricher = Enricher(RoleClassifier.load(role_models_dir / "role"), Embedder(threads=2))
    results, vectors = enricher.enrich_with_embeddings(HOSTILE_ROWS, embed=True)
    assert [r.id for r in results] == [row["id"] for row in HOSTILE_ROWS]
    assert vectors.shape == (len(HOSTILE_ROWS), 384) and np.isfinite(vectors).all()
    by_id = {r.id: r for r in results}
    assert "script" not in " ".join(
        e.text for ev in by_id["soup"].duty_evidence.values() for e in ev
    )
    assert by_id["soup"].years_min == 5
    assert {"Python", "PyTorch"} <= {s.name for s in by_id["huge"].skills}
    for broken in ("blank", "types"):
        assert by_id[broken].reasons and by_id[broken].role_family is None

"""Résumé matching over HTTP (TestClient, each backend): the /match page (upload, edit, match
again) and POST /api/v1/match, bad files answered 4xx with what to do, nothing on disk."""

import html
import io
import json
import logging
import re
import tempfile
import zipfile

import pytest
from fastapi.testclient import TestClient
from support.match_jobs import STAFF_ML_RESUME, fill_postings, match_engine

from leadboard.match.documents import MAX_BYTES
from leadboard.web.app import create_app

ML_LEAD = "Machine Learning Engineering Lead, Ranking"


@pytest.fixture
def client(store, embedder):
    fill_postings(store, embedder)
    app = create_app(store, match_engine(store, embedder))
    # These tests are about answers, not time: on a loaded CI machine the first match (models
    # loading) passed the 10 s default budget and answered 503 (the budget has its own tests).
    app.state.match_budget = 120
    return TestClient(app)


def upload(name: str, data: bytes) -> dict:
    return {"resume": (name, data, "application/octet-stream")}


def hidden_profile(page: str) -> str:
    found = re.search(r'name="profile" value="([^"]*)"', page)
    assert found, "the page carries the profile in the form"
    return html.unescape(found.group(1))


# --- The API -----------------------------------------------------------------------------------


def test_api_match_answers_profile_results_and_skill_gap(client):
    response = client.post(
        "/api/v1/match", files=upload("cv.md", STAFF_ML_RESUME.encode()), data={"limit": "3"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["profile"]["seniority"] == "staff"
    assert answer["profile"]["skills"][0]["lines"]  # each skill with its résumé lines
    first = answer["results"][0]
    assert first["job"]["title"] == ML_LEAD and 0 <= first["score"] <= 1
    assert first["summary"] == "4 of 5 required skills"
    assert first["missing_skills"] == [
        {
            "name": "Spark",
            "required": True,
            "posting_line": "Python, PyTorch, Kubernetes and Spark.",
        }
    ]
    assert first["experience"]["years_asked_min"] == 8 and first["verdict"]
    assert answer["skill_gap"][0]["skill"] and len(answer["results"]) == 3


def test_api_matches_a_profile_sent_back_without_the_resume(client):
    first = client.post("/api/v1/match", files=upload("cv.md", STAFF_ML_RESUME.encode())).json()
    profile = dict(first["profile"], skills=[], leadership=[], people_managed=None)
    again = client.post(
        "/api/v1/match", data={"profile": json.dumps(profile)}, files={"unused": ("", b"")}
    )
    assert again.status_code == 200, again.text
    lead = next(r for r in again.json()["results"] if r["job"]["title"] == ML_LEAD)
    assert lead["matched_skills"] == [] and lead["score"] < first["results"][0]["score"]


def docm_bytes() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("word/document.xml", "<w:document/>")
        out.writestr("word/vbaProject.bin", b"macro")
    return archive.getvalue()


@pytest.mark.parametrize(
    ("files", "data", "status", "problem"),
    [
        (upload("cv.pdf", b""), {}, 422, "empty"),
        (upload("cv.pdf", b"%PDF-1.7\n1 0 obj <<"), {}, 422, "corrupt"),
        (upload("cv.docx", docm_bytes()), {}, 415, "macros"),
        (upload("cv.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), {}, 415, "unsupported"),
        (
            upload(
                "cv.txt",
                b"Ich habe die Entwicklung der Plattform mit dem Team geleitet und "
                b"bin f\xc3\xbcr die Architektur der Modelle zust\xc3\xa4ndig. " * 3,
            ),
            {},
            422,
            "not_english",
        ),
        (upload("cv.txt", b"a" * (MAX_BYTES + 10)), {}, 413, "too_large"),
        ({"unused": ("", b"")}, {"limit": "5"}, 422, "missing"),
        ({"unused": ("", b"")}, {"profile": "{not json"}, 422, "bad_form"),
        (upload("cv.md", STAFF_ML_RESUME.encode()), {"min_salary": "lots"}, 422, "bad_form"),
        (upload("cv.md", STAFF_ML_RESUME.encode()), {"family": "wizard"}, 422, "bad_form"),
    ],
    ids=[
        "empty",
        "corrupt-pdf",
        "macros",
        "image",
        "german",
        "too-large",
        "no-file",
        "bad-profile",
        "bad-salary",
        "bad-family",
    ],
)
def test_api_bad_input_is_a_clear_4xx_never_a_500(client, files, data, status, problem):
    response = client.post("/api/v1/match", files=files, data=data)
    assert response.status_code == status, response.text
    assert response.json()["problem"] == problem
    assert len(response.json()["detail"]) > 30  # a sentence that says what to do


def test_api_refuses_a_declared_huge_body_before_reading_it(client):
    response = client.post(
        "/api/v1/match",
        content=b"x" * 10,
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "content-length": str(50 * MAX_BYTES),
        },
    )
    assert response.status_code == 413 and response.json()["problem"] == "too_large"
    not_a_form = client.post("/api/v1/match", json={"resume": "text"})
    assert not_a_form.status_code == 422 and "multipart/form-data" in not_a_form.json()["detail"]


def test_the_resume_touches_no_file_and_no_log(client, monkeypatch, caplog):
    def no_files(*args, **kwargs):
        raise AssertionError("a temporary file was made")

    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, no_files)
    caplog.set_level(logging.DEBUG)
    big = STAFF_ML_RESUME + "\n" + "Extra line of experience with PyTorch.\n" * 40_000  # ~1.6 MB
    response = client.post("/api/v1/match", files=upload("cv.md", big.encode()))
    assert response.status_code == 200, response.text
    assert "home-feed ranking" not in caplog.text and "Priya" not in caplog.text


# --- The page ----------------------------------------------------------------------------------


def test_the_page_uploads_shows_the_profile_and_matches_again_after_an_edit(client):
    empty = client.get("/match")
    assert empty.status_code == 200 and 'enctype="multipart/form-data"' in empty.text
    assert "not stored" in empty.text

    page = client.post("/match", files=upload("cv.md", STAFF_ML_RESUME.encode()))
    assert page.status_code == 200
    assert "Your profile" in page.text and ML_LEAD in page.text
    assert "4 of 5 required skills" in page.text
    assert "Python, PyTorch, Kubernetes and Spark" in page.text  # the posting's line
    profile = hidden_profile(page.text)
    assert json.loads(profile)["titles"][0] == "Staff Machine Learning Engineer"

    edited = {
        "profile": profile,
        "edited": "1",
        "titles": "Staff Machine Learning Engineer",
        "seniority": "staff",
        "years_total": "12",
        "years_ml": "12",
        "people_managed": "6",
        "skills": "Python, PyTorch, Kubernetes, Spark, Recommender Systems",
        "leadership": ["people_management"],
        "summary": "Ranking.",
    }
    again = client.post("/match", data=edited, files={"unused": ("", b"")})
    assert again.status_code == 200
    assert "5 of 5 required skills" in again.text  # Spark, added by hand, now counts
    assert "(added by you)" in again.text


def test_the_page_says_what_is_wrong_with_a_file(client):
    page = client.post("/match", files=upload("cv.pdf", b""))
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "The file is empty" in page.text


def test_resume_text_is_escaped_on_the_page(client):
    hostile = STAFF_ML_RESUME.replace(
        "Owned the architecture", "<script>alert(1)</script> Owned the architecture"
    )
    page = client.post("/match", files=upload("cv.md", hostile.encode()))
    assert page.status_code == 200
    assert "<script" not in page.text and "&lt;script" in page.text  # shown, as text

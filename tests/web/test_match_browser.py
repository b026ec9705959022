"""The /match page in a real browser (Debian's chromium, driven by Playwright), without and with
JavaScript: upload a résumé, see the profile, edit a skill, match again. Screenshots go to
``test-output/screenshots``."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.match_jobs import STAFF_ML_RESUME, fill_postings, match_engine

from leadboard.store.repository import Store
from leadboard.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium not installed (apt-get install chromium)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:
    import uvicorn

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('match') / 'leadboard.db'}")
    fill_postings(store, embedder)
    port = _free_port()
    config = uvicorn.Config(
        create_app(store, match_engine(store, embedder)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_upload_edit_a_skill_and_match_again(server, browser, javascript):
    mode = "js" if javascript else "nojs"
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("link", name="Match my résumé").click()
    page.wait_for_url("**/match")
    shot(page, f"match-01-form-{mode}")

    # The file is handed over from memory: nothing is written for the test either.
    page.get_by_label("Résumé: PDF, DOCX, TXT or Markdown, up to 5 MB").set_input_files(
        files=[{"name": "cv.md", "mimeType": "text/markdown", "buffer": STAFF_ML_RESUME.encode()}]
    )
    page.get_by_role("button", name="Match", exact=True).click()
    page.wait_for_selector("text=Your profile")
    fits = page.locator("li.fit h3 a")
    assert fits.first.inner_text() == "Machine Learning Engineering Lead, Ranking"
    assert page.locator("li.fit .why").first.inner_text().startswith("4 of 5 required skills")
    assert page.get_by_label("Seniority").input_value() == "staff"
    skills = page.get_by_label("Skills, comma-separated")
    assert "PyTorch" in skills.input_value() and "Spark" not in skills.input_value()
    shot(page, f"match-02-profile-and-results-{mode}")

    skills.fill(skills.input_value() + ", Spark")  # the person knows Spark: the résumé forgot
    page.get_by_role("button", name="Match again").click()
    page.wait_for_selector("text=5 of 5 required skills")
    assert fits.first.inner_text() == "Machine Learning Engineering Lead, Ranking"
    assert "Spark" in page.get_by_label("Skills, comma-separated").input_value()
    page.locator("li.fit details").first.locator("summary").click()
    spark = page.locator("li.fit").first.locator(".skills-fit .have", has_text="Spark (")
    # Added by hand: no résumé line to quote, only the posting's.
    assert spark.inner_text().startswith("Spark (required) — job:")
    shot(page, f"match-03-again-{mode}")
    context.close()


def test_a_bad_file_is_explained_on_the_page(server, browser):
    page = browser.new_page()
    page.goto(server + "/match")
    page.get_by_label("Résumé: PDF, DOCX, TXT or Markdown, up to 5 MB").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 broken"}]
    )
    page.get_by_role("button", name="Match", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "damaged or cut off" in alert.inner_text()
    shot(page, "match-04-bad-file")
    page.close()

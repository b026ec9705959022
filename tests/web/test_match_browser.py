"""The /match page in a real browser (Debian's chromium, driven by Playwright), without and with
JavaScript: upload a résumé, see the profile, edit a skill, match again. Screenshots go to
``test-output/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.browser import serving, shot
from support.match_jobs import STAFF_ML_RESUME, fill_postings, match_engine

from leadboard.store.repository import Store
from leadboard.web.app import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('match') / 'leadboard.db'}")
    fill_postings(store, embedder)
    with serving(create_app(store, match_engine(store, embedder))) as url:
        yield url
    store.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_upload_edit_a_skill_and_match_again(server, browser, javascript, csp_refusals):
    mode = "js" if javascript else "nojs"
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    refused = csp_refusals(page)
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
    assert refused == []  # the form pages satisfy the Content-Security-Policy
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


def test_fits_at_a_phones_size_show_badges_and_the_apply_button(server, browser, csp_refusals):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    refused = csp_refusals(page)
    page.goto(server + "/match")
    page.get_by_label("Résumé: PDF, DOCX, TXT or Markdown, up to 5 MB").set_input_files(
        files=[{"name": "cv.md", "mimeType": "text/markdown", "buffer": STAFF_ML_RESUME.encode()}]
    )
    page.get_by_role("button", name="Match", exact=True).click()
    page.wait_for_selector("text=Your profile")
    first = page.locator("li.fit").first
    assert first.locator(".badge.remote").inner_text() == "Remote"  # a label, not the code
    apply = first.get_by_role("link", name="Apply for Machine Learning Engineering Lead, Ranking")
    assert apply.is_visible() and apply.get_attribute("href").startswith("https://")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing spills over
    shot(page, "match-04-phone")
    assert refused == []
    context.close()

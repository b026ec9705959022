"""Saved searches in a real browser, at a desktop's and a phone's size: search, press "Save this
search", find it on /saved by its name, open it (back on its results), rename it, delete it.
Plain forms, no script; screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from support.browser import fits, shot

RANKING = "Staff Machine Learning Engineer, Ranking"


def test_save_a_search_open_it_rename_it_and_delete_it(server, page, size):
    page.goto(server + "/")
    page.get_by_role("searchbox").fill("ranking")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("article.card").filter(has_text=RANKING).count() == 1
    form = page.locator("form.save-search")
    form.get_by_label("Name").fill("Ranking leads")
    form.get_by_role("button", name="Save this search").click()
    page.wait_for_load_state()

    assert urlsplit(page.url).path == "/saved"
    assert page.get_by_role("heading", level=1).inner_text() == "Saved searches"
    saved = page.locator("li.saved-search")
    assert saved.count() == 1
    assert saved.get_by_role("heading", level=2).inner_text() == "Ranking leads"
    assert "“ranking”" in saved.locator(".meta").inner_text()
    assert "1 open posting" in saved.locator(".new").inner_text()
    assert fits(page)
    shot(page, f"saved-list-{size}")

    saved.get_by_role("link", name="Ranking leads").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["ranking"]
    assert page.get_by_role("heading", level=1).inner_text() == "Jobs for “ranking”"
    assert page.locator("article.card").filter(has_text=RANKING).count() == 1
    assert fits(page)
    shot(page, f"saved-opened-{size}")

    page.goto(server + "/saved")
    saved = page.locator("li.saved-search")
    saved.locator("summary").click()
    saved.get_by_label("New name").fill("Remote ranking leads")
    saved.get_by_role("button", name="Rename").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/saved"
    saved = page.locator("li.saved-search")
    assert saved.get_by_role("heading", level=2).inner_text() == "Remote ranking leads"
    assert "Nothing new since you last looked" in saved.locator(".new").inner_text()
    saved.locator("summary").click()
    assert fits(page)
    shot(page, f"saved-renamed-{size}")

    saved.get_by_role("button", name="Delete Remote ranking leads").click()
    page.wait_for_load_state()
    assert page.locator("li.saved-search").count() == 0
    assert "No saved searches yet" in page.locator("ul.saved-list").inner_text()
    assert fits(page)
    shot(page, f"saved-deleted-{size}")

"""The tracker in a real browser, at a desktop's and a phone's size: save a job from the results,
see it on /tracker, move it to applied with a note, hide another and see it leave the results.
Plain forms, no script; screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from support.browser import fits, shot

RANKING = "Staff Machine Learning Engineer, Ranking"
PLATFORM = "Engineering Manager, ML Platform"


def test_save_from_the_results_apply_on_the_board_and_hide_another(server, page, size):
    page.goto(server + "/")
    card = page.locator("article.card").filter(has_text=RANKING)
    card.get_by_role("button", name=f"Save {RANKING}").click()
    page.wait_for_load_state()
    assert page.url == server + "/"  # back on the results
    saved = page.locator("article.card").filter(has_text=RANKING).locator(".tracked")
    assert saved.inner_text().startswith("Saved")
    shot(page, f"tracker-results-saved-{size}")

    page.get_by_role("navigation", name="More").get_by_role("link", name="Tracker").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your applications"
    column = page.locator("section.column-saved")
    assert column.get_by_role("link", name=RANKING).is_visible()
    tracked = column.locator("article.tracked-card").filter(has_text=RANKING)
    tracked.locator("summary").click()
    tracked.get_by_label("Move to").select_option("applied")
    tracked.get_by_label("Note").fill("CV sent through the careers page")
    tracked.get_by_role("button", name="Save change").click()
    page.wait_for_load_state()
    applied = page.locator("section.column-applied article.tracked-card")
    assert applied.get_by_role("link", name=RANKING).is_visible()
    assert "CV sent through the careers page" in applied.inner_text()
    assert page.locator("section.column-saved article.tracked-card").count() == 0
    assert fits(page)
    shot(page, f"tracker-board-{size}")

    page.goto(server + "/")
    other = page.locator("article.card").filter(has_text=PLATFORM)
    other.get_by_role("button", name=f"Hide {PLATFORM}").click()
    page.wait_for_load_state()
    assert page.locator("article.card").filter(has_text=PLATFORM).count() == 0
    assert page.locator("article.card").filter(has_text=RANKING).count() == 1
    shot(page, f"tracker-results-hidden-{size}")

    page.goto(server + "/tracker")
    assert "Hidden from your results (1)" in page.locator("details.hidden-jobs").inner_text()

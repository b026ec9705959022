"""Alerts on both backends, delivered for real: digests mailed to an SMTP server (aiosmtpd) and
POSTed to a webhook (pytest-httpserver), both on 127.0.0.1. A saved search announces each new
open posting once a channel, never one it had before it was saved, never a closed one; a failed
delivery is recorded, retried and reported, given up after MAX_ATTEMPTS, dropped if its posting
closes; a malformed setting is a clear error."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from support.search_jobs import NOW, fill, make_job
from typer.testing import CliRunner
from werkzeug import Request, Response

from leadboard.cli import app
from leadboard.search.engine import SearchEngine, SearchFilters
from leadboard.search.index import sync_search_index
from leadboard.workspace.alerts import (
    MAX_ATTEMPTS,
    Digest,
    DigestPosting,
    DigestSearch,
    EmailChannel,
    SmtpSettings,
    WebhookChannel,
    WebhookSettings,
    delivery_status,
    render_html,
    send_alerts,
)
from leadboard.workspace.store import Workspace

EVERY_ROLE = SearchFilters(role_family=["any"])
BASE = "https://leadboard.example"
runner = CliRunner()


class Inbox:
    """What the local SMTP server received; ``refuse`` makes it answer DATA with an error."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        if self.refuse:
            return self.refuse
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(monkeypatch):
    """An SMTP server on 127.0.0.1, and the settings that mail to it (no TLS: it is local)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.settings = SmtpSettings(
        host="127.0.0.1",
        port=controller.port,
        sender="leadboard@example.org",
        recipients=["me@example.org"],
        tls="none",
        timeout=5,
    )
    for name, value in {
        "LEADBOARD_SMTP_HOST": "127.0.0.1",
        "LEADBOARD_SMTP_PORT": str(controller.port),
        "LEADBOARD_SMTP_FROM": "leadboard@example.org",
        "LEADBOARD_SMTP_TO": "me@example.org",
        "LEADBOARD_SMTP_TLS": "none",
    }.items():
        monkeypatch.setenv(name, value)
    yield inbox
    controller.stop()


class Hook:
    """A webhook on the local HTTP server: answers ``status`` and keeps the bodies it got."""

    def __init__(self, server: HTTPServer) -> None:
        self.status = 200
        self.bodies: list[dict] = []
        self.url = server.url_for("/hook")
        server.expect_request("/hook", method="POST").respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        self.bodies.append(json.loads(request.get_data()))
        return Response("{}", status=self.status, content_type="application/json")


@pytest.fixture
def hook(httpserver: HTTPServer) -> Hook:
    return Hook(httpserver)


def store_job(store, external_id, title, *, hours, url=None):
    """A posting Leadboard first sees ``hours`` after NOW, indexed."""
    posting, job = make_job(external_id, title, f"{title}: the work.", "remote", None, 1, url=url)
    store.save_batch(
        [(posting, job)], [], index=store.duplicate_index(), seen_at=NOW + timedelta(hours=hours)
    )
    sync_search_index(store)
    return job.id


@pytest.fixture
def saved(store):
    """The small search set (first seen at NOW), then a saved search for every role."""
    fill(store)
    return Workspace(store.engine).add_search(
        "", name="Everything", filters=EVERY_ROLE, at=NOW + timedelta(minutes=1)
    )


def send(store, *channels, hours=3):
    return send_alerts(
        SearchEngine(store), channels, base_url=BASE, now=NOW + timedelta(hours=hours)
    )


def test_an_email_digest_holds_the_new_postings_once_and_never_a_closed_one(store, saved, inbox):
    baker = store_job(store, "20", "Sourdough Baker", hours=1)
    florist = store_job(store, "21", "Florist", hours=1, url="javascript:alert(1)")
    closed = store_job(store, "22", "Cheesemonger", hours=1)
    store.close_jobs([closed], at=NOW + timedelta(hours=2))
    email = EmailChannel(inbox.settings)

    report = send(store, email)

    assert [(d.channel, d.status, sorted(d.job_ids)) for d in report.digests] == [
        ("email", "sent", sorted([baker, florist]))
    ]
    (message,) = inbox.messages
    assert message["Subject"] == "Leadboard: 2 new postings for “Everything”"
    assert message["To"] == "me@example.org"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Sourdough Baker" in part and "Florist" in part
        assert "Cheesemonger" not in part  # closed before it could be announced
        assert "Pastry Chef" not in part  # there before the search was saved: no flood
        assert f"{BASE}/jobs/{baker}" in part  # our job page
        assert "https://jobs.example.com/acme/20" in part  # the original posting
        assert "javascript:" not in part  # an unsafe link is not one
        assert "Posted " in part  # honest dates: the posting's own
        assert f"{BASE}/saved/{saved.id}" in part
    assert "No link to the original posting" in text

    again = send(store, email, hours=4)
    assert again.digests == [] and len(inbox.messages) == 1  # nothing new: nothing sent

    later = store_job(store, "23", "Chocolatier", hours=5)
    store.close_jobs([closed], at=NOW + timedelta(hours=5))
    third = send(store, email, hours=6)
    assert [d.job_ids for d in third.digests] == [[later]]
    assert "Chocolatier" in inbox.messages[-1].get_body(("plain",)).get_content()
    sent = Workspace(store.engine).deliveries(saved.id)
    assert sorted(d.job_id for d in sent) == sorted([baker, florist, later])
    assert {(d.status, d.attempts) for d in sent} == {("sent", 1)}


def test_a_failed_webhook_is_recorded_then_retried_with_the_next_digest(store, saved, hook):
    workspace = Workspace(store.engine)
    baker = store_job(store, "20", "Sourdough Baker", hours=1)
    webhook = WebhookChannel(WebhookSettings(url=hook.url, timeout=5))
    hook.status = 500

    failed = send(store, webhook)

    (digest,) = failed.digests
    assert digest.status == "failed" and failed.exit_code == 1
    assert f"webhook {hook.url}: HTTP 500" in digest.error
    assert any("FAILED" in line and "retried on the next run" in line for line in failed.lines())
    (row,) = workspace.deliveries(saved.id, channel="webhook")
    assert (row.job_id, row.status, row.attempts, row.sent_at) == (baker, "failed", 1, None)
    assert "HTTP 500" in row.last_error

    hook.status = 200
    florist = store_job(store, "21", "Florist", hours=4)
    retried = send(store, webhook, hours=5)

    (digest,) = retried.digests
    assert digest.status == "sent" and digest.retried == 1 and retried.exit_code == 0
    body = Digest.model_validate(hook.bodies[-1])  # the typed payload, as sent
    assert body.kind == "leadboard.digest" and body.retried == 1
    assert body.saved_search.id == saved.id and body.saved_search.name == "Everything"
    assert [p.job_id for p in body.postings] == [florist, baker]  # newest first
    assert body.postings[1].page == f"{BASE}/jobs/{baker}"
    assert body.postings[1].posted_at is not None and body.postings[1].first_seen_at
    rows = {r.job_id: r for r in workspace.deliveries(saved.id)}
    assert (rows[baker].status, rows[baker].attempts, rows[baker].last_error) == ("sent", 2, None)
    assert send(store, webhook, hours=6).digests == []


def test_a_delivery_that_keeps_failing_is_given_up_and_said_so(store, saved, hook):
    store_job(store, "20", "Sourdough Baker", hours=1)
    webhook = WebhookChannel(WebhookSettings(url=hook.url, timeout=5))
    hook.status = 503

    reports = [send(store, webhook, hours=2 + run) for run in range(MAX_ATTEMPTS)]

    assert [r.digests[0].status for r in reports] == ["failed"] * MAX_ATTEMPTS
    assert [r.digests[0].gave_up for r in reports[:-1]] == [[]] * (MAX_ATTEMPTS - 1)
    assert len(reports[-1].digests[0].gave_up) == 1
    assert f"gave up on 1 after {MAX_ATTEMPTS} attempts" in reports[-1].lines()[0]
    hook.status = 200
    assert send(store, webhook, hours=10).digests == []  # given up: not tried again
    assert len(hook.bodies) == MAX_ATTEMPTS
    (status,) = delivery_status(Workspace(store.engine))
    assert status["channels"]["webhook"]["gave_up"] == 1
    (problem,) = status["channels"]["webhook"]["problems"]
    assert problem.startswith(
        f"1 given up after {MAX_ATTEMPTS} attempts: webhook {hook.url}: HTTP 503"
    )


def test_a_failed_posting_that_closes_is_dropped_not_announced(store, saved, hook):
    baker = store_job(store, "20", "Sourdough Baker", hours=1)
    webhook = WebhookChannel(WebhookSettings(url=hook.url, timeout=5))
    hook.status = 500
    send(store, webhook)

    store.close_jobs([baker], at=NOW + timedelta(hours=3))
    hook.status = 200
    report = send(store, webhook, hours=4)

    assert report.digests == [] and [d.job_id for d in report.dropped] == [baker]
    assert "1 failed deliveries dropped" in report.lines()[-1]
    assert len(hook.bodies) == 1  # only the failed try
    (row,) = Workspace(store.engine).deliveries(saved.id)
    assert row.status == "dropped"


def test_a_job_you_hid_is_never_announced_and_a_failed_one_you_hide_is_dropped(store, saved, hook):
    workspace = Workspace(store.engine)
    baker = store_job(store, "20", "Sourdough Baker", hours=1)
    florist = store_job(store, "21", "Florist", hours=1)
    webhook = WebhookChannel(WebhookSettings(url=hook.url, timeout=5))
    workspace.move_job(florist, "hidden")
    hook.status = 500

    failed = send(store, webhook)

    assert [d.job_ids for d in failed.digests] == [[baker]]  # not the florist: hidden
    workspace.move_job(baker, "hidden")  # hidden before its retry
    hook.status = 200
    report = send(store, webhook, hours=4)

    assert report.digests == [] and [d.job_id for d in report.dropped] == [baker]
    assert [[p["job_id"] for p in body["postings"]] for body in hook.bodies] == [[baker]]
    (row,) = workspace.deliveries(saved.id)
    assert (row.job_id, row.status) == (baker, "dropped")


def test_an_email_refused_or_without_starttls_is_a_recorded_failure(store, saved, inbox):
    store_job(store, "20", "Sourdough Baker", hours=1)
    inbox.refuse = "554 Transaction failed: no thanks"

    refused = send(store, EmailChannel(inbox.settings))

    assert refused.digests[0].status == "failed"
    assert f"SMTP 127.0.0.1:{inbox.settings.port}" in refused.digests[0].error
    assert "no thanks" in refused.digests[0].error
    inbox.refuse = None
    # STARTTLS asked of a server that offers none: refused before anything is sent.
    starttls = EmailChannel(inbox.settings.model_copy(update={"tls": "starttls"}))
    no_tls = send(store, starttls, hours=4)
    assert no_tls.digests[0].status == "failed" and "STARTTLS" in no_tls.digests[0].error
    assert inbox.messages == []
    (row,) = Workspace(store.engine).deliveries(saved.id)
    assert (row.status, row.attempts) == ("failed", 2)


def test_the_html_digest_escapes_what_postings_say():
    posting = DigestPosting(
        job_id="x:1",
        title="<script>alert(1)</script> Lead",
        company="A & B",
        location="",
        remote="",
        pay="",
        posted_at=None,
        first_seen_at=NOW,
        dated="First seen by Leadboard 2026-12-03: the posting gives no date of its own.",
        page=f"{BASE}/jobs/x:1",
        original=None,
    )
    search = DigestSearch(id=1, name="<b>mine</b>", query="", page=BASE, feed=BASE)
    html = render_html(Digest(made_at=NOW, saved_search=search, postings=[posting]))

    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Lead" in html
    assert "A &amp; B" in html and "&lt;b&gt;mine&lt;/b&gt;" in html
    assert "the posting gives no date of its own" in html


@pytest.fixture
def home(tmp_path, monkeypatch, database_url, store, saved):
    """`leadboard` pointed at the test's store (with ``saved``), links under BASE."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    monkeypatch.setenv("LEADBOARD_BASE_URL", BASE)
    for name in ("LEADBOARD_SMTP_HOST", "LEADBOARD_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    return store


def test_alerts_send_and_status_from_the_command_line(home, saved, inbox, hook, monkeypatch):
    monkeypatch.setenv("LEADBOARD_WEBHOOK_URL", hook.url)
    baker = store_job(home, "20", "Sourdough Baker", hours=1)

    dry = runner.invoke(app, ["alerts", "send", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "email → “Everything”: would send 1 posting (dry run)" in dry.stdout
    assert inbox.messages == [] and hook.bodies == []
    assert Workspace(home.engine).deliveries(saved.id) == []  # a dry run records nothing

    sent = runner.invoke(app, ["alerts", "send", "--json"])
    assert sent.exit_code == 0, sent.output
    answer = json.loads(sent.stdout)
    assert answer["channels"] == ["email", "webhook"] and answer["failed"] == 0
    assert [(d["channel"], d["status"], d["job_ids"]) for d in answer["digests"]] == [
        ("email", "sent", [baker]),
        ("webhook", "sent", [baker]),
    ]
    assert len(inbox.messages) == 1 and len(hook.bodies) == 1
    assert f"{BASE}/jobs/{baker}" in inbox.messages[0].get_body(("plain",)).get_content()
    again = runner.invoke(app, ["alerts", "send"])
    assert again.exit_code == 0 and "nothing new to announce" in again.stdout

    status = runner.invoke(app, ["alerts", "status", "--json"])
    assert status.exit_code == 0, status.output
    shown = json.loads(status.stdout)
    assert shown["channels"][0].startswith("email to me@example.org via 127.0.0.1:")
    assert shown["channels"][1] == f"webhook {hook.url}"
    (search,) = shown["searches"]
    assert search["channels"]["email"]["sent"] == 1
    assert search["channels"]["webhook"]["problems"] == []
    text = runner.invoke(app, ["alerts", "status"]).stdout
    assert "Everything" in text and "email: 1 sent (last " in text

    hook.status = 500
    store_job(home, "21", "Florist", hours=2)
    failing = runner.invoke(app, ["alerts", "send"])
    assert failing.exit_code == 1  # cron mails what a failing run printed
    assert "webhook → “Everything”: FAILED" in failing.stdout and "HTTP 500" in failing.stdout
    assert "email → “Everything”: sent 1 posting" in failing.stdout
    text = runner.invoke(app, ["alerts", "status"]).stdout
    assert "webhook: 1 failing, retried on the next run (attempt 1 of 5)" in text


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("LEADBOARD_SMTP_PORT", "twenty-five", "$LEADBOARD_SMTP_PORT: Input should be a valid"),
        ("LEADBOARD_SMTP_TO", "me at example", "$LEADBOARD_SMTP_TO: not an e-mail address"),
        ("LEADBOARD_SMTP_TLS", "maybe", "$LEADBOARD_SMTP_TLS: Input should be 'starttls'"),
        ("LEADBOARD_WEBHOOK_URL", "ftp://hooks.example/x", "$LEADBOARD_WEBHOOK_URL: not an"),
        ("LEADBOARD_WEBHOOK_TIMEOUT", "-1", "$LEADBOARD_WEBHOOK_TIMEOUT: Input should be"),
        ("LEADBOARD_BASE_URL", "leadboard.example", "$LEADBOARD_BASE_URL: not an http(s) URL"),
    ],
)
def test_a_malformed_setting_is_a_clear_error(home, inbox, monkeypatch, setting, value, said):
    monkeypatch.setenv("LEADBOARD_WEBHOOK_URL", "https://hooks.example/x")
    monkeypatch.setenv(setting, value)

    for command in (["alerts", "send"], ["alerts", "status"]):
        answer = runner.invoke(app, command)
        assert answer.exit_code == 2
        assert said in answer.stderr and "Traceback" not in answer.output
    assert inbox.messages == []


def test_no_channel_set_up_is_said(home):
    answer = runner.invoke(app, ["alerts", "send"])

    assert answer.exit_code == 2
    assert "no alert channel is set up" in answer.stderr and "LEADBOARD_SMTP_HOST" in answer.stderr

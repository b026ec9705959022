"""Alerts: each saved search's new postings, sent as one digest a channel — an email (SMTP) or a
webhook (an HTTP POST of JSON) — each posting announced once a channel.

What a run announces, for each saved search and each channel set up:

- the open postings the search matches now (``searches.matches``: closed and stale ones, and
  jobs the owner hid, never) that Leadboard *first saw after the search was saved*. A first run
  does not flood: what was there when you saved the search you had on its page already;
- less those already announced on that channel (``alert_deliveries``, one row a posting and
  channel, kept by :class:`~leadboard.workspace.store.Workspace`);
- plus those whose delivery failed before: a failure is recorded (``failed``, attempts, the last
  error), retried with the next digest, and given up after ``MAX_ATTEMPTS`` (``gave_up``); one
  that closed, was hidden or stopped matching before it could be retried is ``dropped``. Each is
  in the run's report (and ``leadboard alerts status``), never silently lost.

The settings are the machine's (``$LEADBOARD_SMTP_*``, ``$LEADBOARD_WEBHOOK_*``,
``$LEADBOARD_BASE_URL``; :func:`settings_from_env`), so only the local owner's saved searches
are sent. Two senders (cron and a watcher) take turns: a run holds the store's ``alerts`` lock.

>>> settings = settings_from_env({"LEADBOARD_WEBHOOK_URL": "https://hooks.example/x"})
>>> [channel.name for channel in channels_of(settings)], settings.base_url
(['webhook'], 'http://127.0.0.1:8000')
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses
from types import SimpleNamespace
from typing import Any, Literal, Protocol, TypeVar

import httpx
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator

from leadboard import labels
from leadboard.normalize.urls import safe_http_url
from leadboard.search.documents import PostingDates
from leadboard.search.engine import SearchEngine
from leadboard.store.locks import StoreBusy, store_lock
from leadboard.store.repository import Store
from leadboard.store.schema import LOCAL_OWNER
from leadboard.web.templating import job_path
from leadboard.workspace.feeds import date_said
from leadboard.workspace.searches import matches
from leadboard.workspace.store import DeliveryRow, SavedSearchRow, Workspace

MAX_ATTEMPTS = 5  # failed deliveries of a posting before it is given up
LOCK_WAIT_S = 60.0  # `alerts send` waits this long for another sender to finish
BASE_URL_ENV = "LEADBOARD_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where `leadboard serve` listens by default
# Each setting and the variable it is read from (a wrong one is named in the error).
SMTP_ENV = {
    "host": "LEADBOARD_SMTP_HOST",
    "port": "LEADBOARD_SMTP_PORT",
    "user": "LEADBOARD_SMTP_USER",
    "password": "LEADBOARD_SMTP_PASSWORD",
    "sender": "LEADBOARD_SMTP_FROM",
    "recipients": "LEADBOARD_SMTP_TO",
    "tls": "LEADBOARD_SMTP_TLS",
}
WEBHOOK_ENV = {"url": "LEADBOARD_WEBHOOK_URL", "timeout": "LEADBOARD_WEBHOOK_TIMEOUT"}
PORTS = {"starttls": 587, "ssl": 465, "none": 25}
NO_CHANNEL = (
    "no alert channel is set up: set $LEADBOARD_SMTP_HOST, $LEADBOARD_SMTP_FROM and "
    "$LEADBOARD_SMTP_TO (email) and/or $LEADBOARD_WEBHOOK_URL (README: Alerts)"
)

_TEMPLATES = Environment(
    loader=PackageLoader("leadboard.workspace", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


class AlertSettingsError(ValueError):
    """A setting of the alerts is missing or malformed; the message names the variable."""


class DeliveryFailed(RuntimeError):
    """A channel could not deliver a digest; the message says why (recorded and retried)."""


class AlertsBusy(RuntimeError):
    """Another process is sending the alerts of this store."""


# -- settings ----------------------------------------------------------------------------------


def _address(value: str) -> str:
    """One e-mail address, or a ValueError saying why not."""
    try:
        Address(addr_spec=value.strip())
    except (ValueError, IndexError) as error:  # the header parser's two complaints
        raise ValueError(f"not an e-mail address: {value.strip()!r}") from error
    if "@" not in value:
        raise ValueError(f"not an e-mail address: {value.strip()!r}")
    return value.strip()


class SmtpSettings(BaseModel):
    """Where and how digests are mailed."""

    host: str = Field(min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)  # None: the TLS mode's usual port
    user: str | None = None
    password: SecretStr | None = None
    sender: str
    recipients: list[str] = Field(min_length=1)
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    timeout: float = 30.0

    @field_validator("sender")
    @classmethod
    def _one_address(cls, value: str) -> str:
        return _address(value)

    @field_validator("recipients", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> Any:
        if isinstance(value, str):  # "a@x, Someone <b@y>"
            return [_address(addr) for _, addr in getaddresses([value]) if addr]
        return value

    @property
    def at(self) -> str:
        return f"{self.host}:{self.port or PORTS[self.tls]}"


class WebhookSettings(BaseModel):
    """Where digests are POSTed as JSON."""

    url: str
    timeout: float = Field(default=10.0, gt=0, le=300)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        url = safe_http_url(value)
        if url is None:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return url


@dataclass(frozen=True)
class AlertSettings:
    """The channels set up (none when neither is) and the address links point to."""

    base_url: str = DEFAULT_BASE_URL
    email: SmtpSettings | None = None
    webhook: WebhookSettings | None = None


def settings_from_env(env: Mapping[str, str] | None = None) -> AlertSettings:
    """The alert settings from ``$LEADBOARD_*`` variables (``env``: default the environment).

    Setting any ``$LEADBOARD_SMTP_*`` sets up email, which then needs a host, a sender and
    recipients; ``$LEADBOARD_WEBHOOK_URL`` sets up the webhook.

    >>> settings_from_env({}).email is None
    True
    >>> email = settings_from_env({
    ...     "LEADBOARD_SMTP_HOST": "smtp.example", "LEADBOARD_SMTP_FROM": "me@example.org",
    ...     "LEADBOARD_SMTP_TO": "me@example.org, Partner <you@example.org>"}).email
    >>> email.recipients, email.at
    (['me@example.org', 'you@example.org'], 'smtp.example:587')
    >>> try:
    ...     settings_from_env({"LEADBOARD_SMTP_HOST": "smtp.example", "LEADBOARD_SMTP_PORT": "x"})
    ... except AlertSettingsError as error:
    ...     problems = str(error).split("; ")
    >>> for problem in problems:
    ...     print(problem)
    $LEADBOARD_SMTP_PORT: Input should be a valid integer, ... (got 'x')
    $LEADBOARD_SMTP_FROM: not set (needed)
    $LEADBOARD_SMTP_TO: not set (needed)
    """
    env = os.environ if env is None else env
    base_url = safe_http_url(env.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    if base_url is None:
        raise AlertSettingsError(
            f"${BASE_URL_ENV}: not an http(s) URL: {env.get(BASE_URL_ENV)!r} (the address "
            "where `leadboard serve` is reached, for the links in a digest)"
        )
    email = _read(SmtpSettings, SMTP_ENV, env)
    webhook = _read(WebhookSettings, WEBHOOK_ENV, env)
    return AlertSettings(base_url=base_url.rstrip("/"), email=email, webhook=webhook)


_Settings = TypeVar("_Settings", bound=BaseModel)


def _read(
    model: type[_Settings], names: Mapping[str, str], env: Mapping[str, str]
) -> _Settings | None:
    given = {key: env[name] for key, name in names.items() if env.get(name, "").strip()}
    if not given:
        return None
    try:
        return model.model_validate(given)
    except ValidationError as error:
        problems = []
        for each in error.errors():
            name = names.get(str(each["loc"][0]), str(each["loc"][0])) if each["loc"] else "?"
            message = each["msg"].removeprefix("Value error, ")
            if each["type"] == "missing":
                message = "not set (needed)"
            elif "input" in each and each["loc"] and each["loc"][0] != "password":
                message += f" (got {each['input']!r})"
            problems.append(f"${name}: {message}")
        raise AlertSettingsError("; ".join(problems)) from None


# -- digests -----------------------------------------------------------------------------------


class DigestSearch(BaseModel):
    """The saved search a digest is of."""

    id: int
    name: str
    query: str
    page: str  # its results on Leadboard
    feed: str  # its Atom feed


class DigestPosting(BaseModel):
    """A posting as a digest announces it: dates kept apart, as the feed keeps them."""

    job_id: str
    title: str
    company: str | None
    location: str
    remote: str  # in words ("Remote", "Hybrid"…)
    pay: str  # as stated ("USD 150k–200k/year"), "" when the posting gives none
    posted_at: datetime | None  # the posting's own date; None when it gives none
    first_seen_at: datetime  # when Leadboard first saw it
    dated: str  # which of the two it is dated by, in words
    page: str  # the job's page on Leadboard
    original: str | None  # the original posting, when it gives an http(s) URL


class Digest(BaseModel):
    """One saved search's new postings for one channel: the webhook's JSON body, and what the
    e-mail says."""

    kind: Literal["leadboard.digest"] = "leadboard.digest"
    version: Literal[1] = 1
    made_at: datetime
    saved_search: DigestSearch
    postings: list[DigestPosting]
    retried: int = 0  # how many of them an earlier digest failed to deliver

    @property
    def subject(self) -> str:
        """An e-mail's subject line.

        >>> from datetime import UTC, datetime
        >>> search = DigestSearch(id=1, name="LLM leads", query="", page="/", feed="/")
        >>> Digest(made_at=datetime.now(UTC), saved_search=search, postings=[]).subject
        'Leadboard: 0 new postings for “LLM leads”'
        """
        count = len(self.postings)
        return (
            f"Leadboard: {count} new posting{'' if count == 1 else 's'} "
            f"for “{self.saved_search.name}”"
        )


def make_digest(
    engine: SearchEngine,
    saved: SavedSearchRow,
    postings: Sequence[PostingDates],
    *,
    base_url: str,
    made_at: datetime,
    retried: int = 0,
) -> Digest:
    """The digest of ``postings`` (newest first) for ``saved``, its links under ``base_url``."""
    jobs = engine.documents.jobs_of(p.document_id for p in postings)
    announced = []
    for posting in postings:
        found = jobs.get(posting.document_id)
        if found is None:  # its document went between the selection and now
            continue
        job = found.job
        places = [
            ", ".join(p for p in (place.get("city"), place.get("country")) if p)
            for place in job.locations or []
        ]
        stated = SimpleNamespace(
            min=job.salary_min,
            max=job.salary_max,
            currency=job.salary_currency,
            period=job.salary_period,
        )
        announced.append(
            DigestPosting(
                job_id=job.id,
                title=job.title,
                company=job.company or None,
                location="; ".join(p for p in places if p) or (job.location_raw or ""),
                remote=labels.label(job.remote, "remote") if job.remote != "unknown" else "",
                pay=labels.pay(stated) if job.salary_currency else "",
                posted_at=posting.posted_at,
                first_seen_at=posting.first_seen_at,
                dated=date_said(posting),
                page=base_url + job_path(job.id),
                original=safe_http_url(job.url or ""),
            )
        )
    search = DigestSearch(
        id=saved.id,
        name=saved.name,
        query=saved.query,
        page=f"{base_url}/saved/{saved.id}",
        feed=base_url + saved.feed,
    )
    return Digest(made_at=made_at, saved_search=search, postings=announced, retried=retried)


def render_text(digest: Digest) -> str:
    """The digest as plain text (an e-mail's first part)."""
    return _TEMPLATES.get_template("digest.txt").render(digest=digest)


def render_html(digest: Digest) -> str:
    """The digest as HTML, every value escaped (an e-mail's alternative part)."""
    return _TEMPLATES.get_template("digest.html").render(digest=digest)


# -- channels ----------------------------------------------------------------------------------


class Channel(Protocol):
    """Where digests go: ``send`` delivers one or raises ``DeliveryFailed``."""

    name: str

    def send(self, digest: Digest) -> None: ...

    def describe(self) -> str: ...


class EmailChannel:
    """Digests mailed by SMTP (``smtplib``): plain text with an HTML alternative."""

    name = "email"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return f"email to {', '.join(self.settings.recipients)} via {self.settings.at}"

    def message(self, digest: Digest) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = digest.subject
        message["From"] = self.settings.sender
        message["To"] = ", ".join(self.settings.recipients)
        message.set_content(render_text(digest))
        message.add_alternative(render_html(digest), subtype="html")
        return message

    def send(self, digest: Digest) -> None:
        settings = self.settings
        port = settings.port or PORTS[settings.tls]
        context = ssl.create_default_context()
        try:
            if settings.tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, port, timeout=settings.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(settings.host, port, timeout=settings.timeout)
            with smtp:
                if settings.tls == "starttls":
                    smtp.starttls(context=context)
                if settings.user:
                    password = settings.password.get_secret_value() if settings.password else ""
                    smtp.login(settings.user, password)
                smtp.send_message(self.message(digest))
        except (smtplib.SMTPException, OSError) as error:  # OSError: refused, timeout, TLS
            raise DeliveryFailed(f"SMTP {settings.at}: {_said(error)}") from error


class WebhookChannel:
    """Digests POSTed as JSON (``Digest``) with httpx; an answer other than 2xx is a failure."""

    name = "webhook"

    def __init__(self, settings: WebhookSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.client = client

    def describe(self) -> str:
        return f"webhook {self.settings.url}"

    def send(self, digest: Digest) -> None:
        body = digest.model_dump_json()
        headers = {"Content-Type": "application/json", "User-Agent": "Leadboard alerts"}
        try:
            if self.client is not None:
                answer = self.client.post(self.settings.url, content=body, headers=headers)
            else:
                with httpx.Client(timeout=self.settings.timeout) as client:
                    answer = client.post(self.settings.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"webhook {self.settings.url}: {_said(error)}") from error
        if not answer.is_success:
            raise DeliveryFailed(
                f"webhook {self.settings.url}: HTTP {answer.status_code} {answer.reason_phrase}"
            )


def channels_of(settings: AlertSettings) -> list[Channel]:
    """The channels the settings set up, email first."""
    channels: list[Channel] = []
    if settings.email is not None:
        channels.append(EmailChannel(settings.email))
    if settings.webhook is not None:
        channels.append(WebhookChannel(settings.webhook))
    return channels


def _said(error: BaseException) -> str:
    words = " ".join(str(error).split()) or type(error).__name__
    return words[:300]


# -- a run -------------------------------------------------------------------------------------


@dataclass
class DigestOutcome:
    """What became of one digest."""

    saved_search_id: int
    saved_search: str
    channel: str
    job_ids: list[str]
    status: Literal["sent", "failed", "would_send"]
    retried: int = 0
    error: str | None = None
    gave_up: list[str] = field(default_factory=list)  # postings failed MAX_ATTEMPTS times
    attempt: int = 0  # the most attempts any of its postings has had


@dataclass
class AlertsReport:
    """What a run of the alerts did: its digests, and the failed deliveries it dropped."""

    channels: list[str]
    dry_run: bool = False
    digests: list[DigestOutcome] = field(default_factory=list)
    dropped: list[DeliveryRow] = field(default_factory=list)

    @property
    def failed(self) -> list[DigestOutcome]:
        return [d for d in self.digests if d.status == "failed"]

    @property
    def exit_code(self) -> int:
        """1 when a digest could not be delivered (cron mails the output), else 0."""
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        """The run in words, a line a digest (and one for what was dropped)."""
        said = []
        for d in self.digests:
            count = f"{len(d.job_ids)} posting{'' if len(d.job_ids) == 1 else 's'}"
            where = f"{d.channel} → “{d.saved_search}”"
            retried = f", {d.retried} retried" if d.retried else ""
            if d.status == "would_send":
                said.append(f"{where}: would send {count}{retried} (dry run)")
            elif d.status == "sent":
                said.append(f"{where}: sent {count}{retried}")
            else:
                later = len(d.job_ids) - len(d.gave_up)
                fate = f"{later} retried on the next run" if later else "none retried"
                gave = (
                    f"; gave up on {len(d.gave_up)} after {MAX_ATTEMPTS} attempts"
                    if d.gave_up
                    else ""
                )
                said.append(f"{where}: FAILED, {count} ({fate}{gave}): {d.error}")
        if self.dropped:
            said.append(
                f"{len(self.dropped)} failed deliveries dropped: their postings closed or no "
                "longer match"
            )
        return said

    def as_dict(self) -> dict[str, Any]:
        return {
            "channels": self.channels,
            "dry_run": self.dry_run,
            "digests": [asdict(d) for d in self.digests],
            "failed": len(self.failed),
            "dropped": [
                {"saved_search_id": d.saved_search_id, "job_id": d.job_id, "channel": d.channel}
                for d in self.dropped
            ],
        }


def send_alerts(
    engine: SearchEngine,
    channels: Sequence[Channel],
    *,
    base_url: str = DEFAULT_BASE_URL,
    dry_run: bool = False,
    wait: float = LOCK_WAIT_S,
    now: datetime | None = None,
    owner: str = LOCAL_OWNER,
) -> AlertsReport:
    """Send each of ``owner``'s saved searches' new postings to each channel, one digest a
    search and channel, and record what became of each posting (see the module's rules). A dry
    run says what it would send and records nothing. Holds the store's ``alerts`` lock (waiting
    ``wait`` seconds for another sender, then ``AlertsBusy``)."""
    now = now or datetime.now(UTC)
    workspace = Workspace(engine.store.engine)
    report = AlertsReport(channels=[c.name for c in channels], dry_run=dry_run)
    try:
        with store_lock(workspace.engine, "alerts", wait=0 if dry_run else wait):
            for saved in workspace.searches(owner):
                _send_search(engine, workspace, saved, channels, report, base_url, now)
    except StoreBusy:
        raise AlertsBusy(
            "another leadboard process is sending the alerts; they go on its run"
        ) from None
    return report


def _send_search(
    engine: SearchEngine,
    workspace: Workspace,
    saved: SavedSearchRow,
    channels: Sequence[Channel],
    report: AlertsReport,
    base_url: str,
    now: datetime,
) -> None:
    found = matches(engine, saved)  # open postings only, newest first
    matching = {p.job_id for p in found}
    for channel in channels:
        known = {
            d.job_id: d
            for d in workspace.deliveries(saved.id, channel=channel.name, owner=saved.owner)
        }
        retry = {job_id for job_id, d in known.items() if d.status == "failed"}
        gone = sorted(retry - matching)
        if gone and not report.dry_run:
            report.dropped += workspace.drop_deliveries(
                saved.id, channel.name, gone, owner=saved.owner
            )
        due = [
            p
            for p in found
            if p.job_id in retry or (p.job_id not in known and p.first_seen_at > saved.created_at)
        ]
        if not due:
            continue
        digest = make_digest(
            engine,
            saved,
            due,
            base_url=base_url,
            made_at=now,
            retried=sum(1 for p in due if p.job_id in retry),
        )
        job_ids = [p.job_id for p in digest.postings]
        outcome = DigestOutcome(
            saved.id, saved.name, channel.name, job_ids, "would_send", digest.retried
        )
        report.digests.append(outcome)
        if report.dry_run or not job_ids:
            continue
        try:
            channel.send(digest)
            error = None
        except DeliveryFailed as failure:
            error = str(failure)
        rows = workspace.record_deliveries(
            saved.id,
            channel.name,
            job_ids,
            error=error,
            max_attempts=MAX_ATTEMPTS,
            owner=saved.owner,
            at=now,
        )
        outcome.status = "sent" if error is None else "failed"
        outcome.error = error
        outcome.gave_up = [r.job_id for r in rows if r.status == "gave_up"]
        outcome.attempt = max(r.attempts for r in rows)


class CycleAlerts:
    """The alerts a watcher sends after each crawl cycle (``schedule.Watcher``): settings read
    afresh each time, the search engine opened on first need; never raises — a problem is said
    and returned as a line of the cycle's report."""

    def __init__(self, store: Store, *, say: Callable[[str], None] = lambda m: None) -> None:
        self.store = store
        self.say = say
        self._engine: SearchEngine | None = None

    def send(self) -> tuple[AlertsReport | None, list[str]]:
        """The run's report (None when no channel is set up) and its problems in words."""
        try:
            settings = settings_from_env()
        except AlertSettingsError as error:
            return None, self._said([f"alerts not sent: {error}"])
        channels = channels_of(settings)
        if not channels:
            return None, []
        if self._engine is None:
            from leadboard.pipeline import open_search

            self._engine = open_search(self.store, semantic=False)
        try:
            report = send_alerts(self._engine, channels, base_url=settings.base_url, wait=0)
        except AlertsBusy as busy:
            return None, self._said([f"alerts: {busy}"])
        except Exception as error:  # noqa: BLE001 - a watcher outlives a broken alert run
            return None, self._said([f"alerts not sent: {type(error).__name__}: {error}"])
        for line in report.lines():
            self.say(f"alerts: {line}")
        return report, [f"alerts: {line}" for line in report.lines() if "FAILED" in line]

    def _said(self, lines: list[str]) -> list[str]:
        for line in lines:
            self.say(line)
        return lines


def delivery_status(workspace: Workspace, owner: str = LOCAL_OWNER) -> list[dict[str, Any]]:
    """For each of ``owner``'s saved searches and each channel it used: how many postings were
    sent (and when last), and what is failing, given up or dropped, with the last error.

    >>> from leadboard.store.repository import Store
    >>> workspace = Workspace(Store.open("sqlite://").engine)
    >>> saved = workspace.add_search("ranking")
    >>> _ = workspace.record_deliveries(saved.id, "webhook", ["a:1"], error="HTTP 500",
    ...                                 max_attempts=5)
    >>> delivery_status(workspace)[0]["channels"]["webhook"]["problems"]
    ['1 failing, retried on the next run (attempt 1 of 5): HTTP 500']
    """
    status = []
    for saved in workspace.searches(owner):
        channels: dict[str, dict[str, Any]] = {}
        for row in workspace.deliveries(saved.id, owner=owner):
            counts = channels.setdefault(
                row.channel,
                {"sent": 0, "failed": 0, "gave_up": 0, "dropped": 0, "last_sent_at": None},
            )
            counts[row.status] += 1
            if row.sent_at is not None:
                last = counts["last_sent_at"]
                counts["last_sent_at"] = max(last or "", row.sent_at.isoformat())
            if row.status in ("failed", "gave_up"):
                counts[f"last_{row.status}"] = row  # the newest by id: its error is the last
        for counts in channels.values():
            problems = []
            failing: DeliveryRow | None = counts.pop("last_failed", None)
            given_up: DeliveryRow | None = counts.pop("last_gave_up", None)
            if failing is not None:
                problems.append(
                    f"{counts['failed']} failing, retried on the next run (attempt "
                    f"{failing.attempts} of {MAX_ATTEMPTS}): {failing.last_error}"
                )
            if given_up is not None:
                problems.append(
                    f"{counts['gave_up']} given up after {MAX_ATTEMPTS} attempts: "
                    f"{given_up.last_error}"
                )
            if counts["dropped"]:
                problems.append(
                    f"{counts['dropped']} dropped after failing: their postings closed or no "
                    "longer match"
                )
            counts["problems"] = problems
        status.append({"id": saved.id, "name": saved.name, "channels": channels})
    return status

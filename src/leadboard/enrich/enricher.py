"""One posting in, one ``Enrichment`` out: the pieces of ``enrich/`` put together.

The input is the evaluation contract's posting (README, "Enrichment"): ``{"id", "title", "company",
"location", "description"}`` with optional ``salary_text``, ``posted_at`` and
``description_format``. Remote policy and salary come from the normaliser (the same code as the
store); years, skills, duties and seniority from their extractors, which read the sentences
``segments.Segments`` finds once per posting; role family and the
ML-leadership probability from the trained role model. A stored job, already normalised, comes in
as ``{"id", "title", "text", "remote", "salary"}`` (see ``job_row``) and skips the normaliser.

With embeddings, the model runs in a second thread while this one runs the extractors: ONNX
Runtime releases the GIL, so the two cores are both busy.

A field that cannot be worked out is ``unknown``/null with a reason; one bad posting never stops a
batch.

>>> enricher = Enricher(role_model=None)
>>> result = enricher.enrich({"id": "x", "title": "Staff ML Engineer", "location": "Remote - US",
...     "description": "You will mentor engineers. 8+ years of Python and PyTorch."})
>>> result.seniority, result.years_min, result.remote, [s.name for s in result.skills]
('staff', 8, 'remote', ['Python', 'PyTorch'])
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from leadboard.enrich.duties import extract_duties
from leadboard.enrich.segments import Segments
from leadboard.enrich.seniority import seniority_of
from leadboard.enrich.skills import extract_skills
from leadboard.enrich.years import extract_years
from leadboard.models import Enrichment, Job, SourcePosting
from leadboard.normalize import InvalidPosting, normalize_posting

if TYPE_CHECKING:
    from leadboard.enrich.embeddings import TextEmbedder

RULES_VERSION = "rules-2026.12.3"  # skills: call-/contact-centre agents are people
NOT_A_POSTING = "not a usable posting"


class RoleModel(Protocol):
    """What the enricher needs of the role classifier (``leadboard.enrich.role``)."""

    @property
    def name(self) -> str:
        """Version and training fingerprint."""
        ...

    def predict_rows(self, rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
        """(role family, ML-leadership probability) for each posting row."""
        ...


class Enricher:
    """Enrich posting rows; the role model and the embedder are optional and load once."""

    def __init__(
        self, role_model: RoleModel | None = None, embedder: TextEmbedder | None = None
    ) -> None:
        self.role_model = role_model
        self.embedder = embedder

    @property
    def version(self) -> str:
        role = self.role_model.name if self.role_model else "no-role-model"
        return f"{RULES_VERSION}+{role}"

    def embedding_model(self) -> TextEmbedder:
        """The embedder, made (not loaded: that happens on first use) when first asked for."""
        if self.embedder is None:
            from leadboard.enrich.embeddings import default_embedder

            self.embedder = default_embedder()
        return self.embedder

    def enrich(self, row: dict[str, Any]) -> Enrichment:
        return self.enrich_batch([row])[0]

    def enrich_batch(self, rows: list[dict[str, Any]]) -> list[Enrichment]:
        return self.enrich_with_embeddings(rows, embed=False)[0]

    def enrich_with_embeddings(
        self, rows: list[dict[str, Any]], *, embed: bool = True
    ) -> tuple[list[Enrichment], np.ndarray | None]:
        """Enrichments, and (with ``embed``) their sentence embeddings, one row each."""
        prepared = [self._prepare(row) for row in rows]
        if not embed:
            return self._finish(rows, prepared), None
        from leadboard.enrich.embeddings import posting_text

        embedder = self.embedding_model()
        texts = [
            posting_text(_title(row), text) for row, (_, text) in zip(rows, prepared, strict=True)
        ]
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed") as pool:
            vectors = pool.submit(embedder.encode, texts)
            results = self._finish(rows, prepared)
            return results, vectors.result()

    def _finish(
        self, rows: list[dict[str, Any]], prepared: list[tuple[Enrichment, str]]
    ) -> list[Enrichment]:
        """The extractors' fields, then the role model's, on prepared rows."""
        for row, (result, text) in zip(rows, prepared, strict=True):
            self._extract(result, text, _title(row))
        results = [result for result, _ in prepared]
        # A row that is not a posting (no title, wrong types) gets no role family: a guess from
        # nothing would read as a finding.
        usable = [i for i, (result, _) in enumerate(prepared) if not _unusable(result)]
        if self.role_model is None:
            for result in results:
                result.reasons.append("role family: no role model (run `leadboard train`)")
            return results
        if not usable:
            return results
        try:
            role_rows = [{"title": _title(rows[i]), "text": prepared[i][1]} for i in usable]
            predictions = self.role_model.predict_rows(role_rows)
        except Exception as error:  # noqa: BLE001 - the other fields still stand
            for result in results:
                result.reasons.append(f"role model failed: {type(error).__name__}: {error}")
        else:
            for i, (family, probability) in zip(usable, predictions, strict=True):
                result = results[i]
                result.role_family = family  # type: ignore[assignment]
                result.ml_leadership = round(float(probability), 4)
                result.is_ml_leadership = family == "ml_leadership"
        return results

    def _prepare(self, row: dict[str, Any]) -> tuple[Enrichment, str]:
        """A fresh result with remote and salary filled, and the clean text to read."""
        result = Enrichment(id=str(row.get("id", "")), model_version=self.version)
        if isinstance(row.get("text"), str):  # a stored job: normalised already
            result.remote = row.get("remote") or "unknown"
            result.salary = row.get("salary")
            text = row["text"]
        else:
            try:
                job = normalize_posting(_as_posting(row))
            except InvalidPosting as error:
                result.reasons.append(f"{NOT_A_POSTING}: {error.reason}")
                text = ""
            except Exception as error:  # noqa: BLE001 - one bad row must not stop a batch
                result.reasons.append(f"{NOT_A_POSTING}: {type(error).__name__}: {error}")
                text = ""
            else:
                result.remote, result.salary = job.remote, job.salary
                text = job.description_text
        if not text:
            result.reasons.append("no description text")
        return result, text

    def _extract(self, result: Enrichment, text: str, title: str | None) -> None:
        """The rule-based fields; one extractor's failure is a reason, not a crash."""
        try:
            segments = Segments(text)  # once: every extractor reads the same sentences
        except Exception as error:  # noqa: BLE001 - one bad posting must not stop a batch
            result.reasons.append(f"segments failed: {type(error).__name__}: {error}")
            return
        steps = (
            ("years", lambda: self._years(result, text, segments)),
            ("skills", lambda: setattr(result, "skills", extract_skills(text, segments))),
            ("duties", lambda: self._duties(result, text, title, segments)),
            ("seniority", lambda: self._seniority(result, text, title)),
        )
        for name, step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - one extractor's bug must not stop a batch
                result.reasons.append(f"{name} failed: {type(error).__name__}: {error}")

    @staticmethod
    def _years(result: Enrichment, text: str, segments: Segments) -> None:
        years = extract_years(text, segments)
        result.years_min, result.years_max = years.years_min, years.years_max
        result.years_evidence = years.evidence
        if years.years_min is None and years.reason:
            result.reasons.append(f"years: {years.reason}")

    @staticmethod
    def _duties(result: Enrichment, text: str, title: str | None, segments: Segments) -> None:
        duties = extract_duties(text, title, segments)
        result.duties = list(duties.duties)
        result.duty_evidence = {duty: list(spans) for duty, spans in duties.evidence.items()}

    @staticmethod
    def _seniority(result: Enrichment, text: str, title: str | None) -> None:
        result.seniority = seniority_of(title, text, result.years_min).level


def contract_line(result: Enrichment) -> dict[str, Any]:
    """The evaluation contract's output line: names where the contract wants names."""
    line = result.model_dump(mode="json", exclude={"skills"})
    line["skills"] = [skill.name for skill in result.skills]
    line["skill_details"] = [skill.model_dump(mode="json") for skill in result.skills]
    return line


def _title(row: dict[str, Any]) -> str | None:
    title = row.get("title")
    return title if isinstance(title, str) else None


def _unusable(result: Enrichment) -> bool:
    return any(reason.startswith(NOT_A_POSTING) for reason in result.reasons)


def job_row(job: Job) -> dict[str, Any]:
    """The enricher's input for a normalised job (a stored one): no second normalisation."""
    return {
        "id": job.id,
        "title": job.title_raw,
        "text": job.description_text,
        "remote": job.remote,
        "salary": job.salary,
    }


def _as_posting(row: dict[str, Any]) -> SourcePosting:
    location = row.get("location")
    locations = location if isinstance(location, list) else [location] if location else []
    extra = row.get("extra")
    if not isinstance(extra, dict):
        extra = {}
    return SourcePosting(
        source="enrich",
        board="input",
        external_id=str(row.get("id", "")),
        fetched_at=datetime.now(UTC),
        title=row.get("title"),
        company=row.get("company"),
        locations=[str(loc) for loc in locations],
        description=row.get("description"),
        description_format=row.get("description_format"),
        posted_at=row.get("posted_at"),
        salary_text=row.get("salary_text"),
        workplace_type=extra.get("workplace_type"),
    )

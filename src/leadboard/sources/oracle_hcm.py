"""Oracle Recruiting Cloud (Oracle HCM "Candidate Experience") sites, read through its REST API.

A board is ``host/site`` (e.g. ``eibd.fa.em2.oraclecloud.com/CX_1``): the tenant's host and the
site number of its careers site ``https://{host}/hcmUI/CandidateExperience/en/sites/{site}``.

- listing: ``GET https://{host}/hcmRestApi/resources/latest/recruitingCEJobRequisitions
  ?onlyData=true&expand=requisitionList.secondaryLocations,flexFieldsFacet.values
  &finder=findReqs;siteNumber={site},facetsList=…,limit=25,offset=N,sortBy=POSTING_DATES_DESC``,
  which answers ``{"items": [{"TotalJobsCount": N, "requisitionList": [{Id, Title, PostedDate,
  PrimaryLocation, secondaryLocations…}], …facets}]}``: paging lives inside the finder.
- detail: ``GET https://{host}/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails
  ?expand=all&onlyData=true&finder=ById;Id="{id}",siteNumber={site}``, which answers
  ``{"items": [{Id, Title, ExternalDescriptionStr, ExternalResponsibilitiesStr,
  ExternalQualificationsStr, CorporateDescriptionStr…}]}``; no item means the posting is gone.

``PostedDate`` (``YYYY-MM-DD``) is the posting date. The public page of a posting is
``https://{host}/hcmUI/CandidateExperience/en/sites/{site}/job/{Id}``.

>>> OracleHcmConnector.board_from_url(
...     "https://eibd.fa.em2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/jobs")
'eibd.fa.em2.oraclecloud.com/CX_1'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, unquote

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "oracle_hcm"
API_PATH = "/hcmRestApi/resources/latest"
PAGE_SIZE = 25  # what Oracle's own careers page asks for
MAX_PAGES = 400  # 10,000 requisitions: Oracle's own offset limit
LIST_EXPAND = "requisitionList.secondaryLocations,flexFieldsFacet.values"
# The facets Oracle's own careers page asks for with every page.
FACETS = ";".join(
    [
        "LOCATIONS",
        "WORK_LOCATIONS",
        "WORKPLACE_TYPES",
        "TITLES",
        "CATEGORIES",
        "ORGANIZATIONS",
        "POSTING_DATES",
        "FLEX_FIELDS",
    ]
)
# The description's HTML pieces, in the order the careers page shows them.
DESCRIPTION_FIELDS = (
    "ExternalDescriptionStr",
    "ExternalResponsibilitiesStr",
    "ExternalQualificationsStr",
    "OrganizationDescriptionStr",
    "CorporateDescriptionStr",
)

_SITE = re.compile(r"[A-Za-z0-9_.-]+")
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_SITE_PATH = re.compile(r"/hcmUI/CandidateExperience/[^/]+/sites/([^/?#]+)", re.IGNORECASE)
_SITE_NUMBER = re.compile(r"siteNumber=\"?([^,\";]+)", re.IGNORECASE)


class OracleBoard(NamedTuple):
    """A board token's parts: ``host/site``."""

    host: str
    site: str


def split_board(board: str) -> OracleBoard:
    """``"eibd.fa.em2.oraclecloud.com/CX_1"`` → its parts; ``FetchError`` when it is not a token.

    >>> split_board("HCML.fa.us2.oraclecloud.com/AEO-Careers")
    OracleBoard(host='hcml.fa.us2.oraclecloud.com', site='AEO-Careers')
    >>> split_board("CX_1")
    Traceback (most recent call last):
    leadboard.sources.http.FetchError: oracle_hcm board token 'CX_1' is not host/site
    """
    host, _, site = board.strip().strip("/").partition("/")
    host = host.lower()
    if not _HOST.fullmatch(host) or not _SITE.fullmatch(site):
        raise FetchError(f"oracle_hcm board token {board!r} is not host/site", url=board)
    return OracleBoard(host, site)


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one requisition (a listing record, merged with its detail) into a posting.

    The description is the detail's HTML pieces joined (``ExternalDescriptionStr``,
    responsibilities, qualifications, then the organisation's and company's texts); a listing
    record alone has only ``ShortDescriptionStr``. Raises ``ValueError`` when the record is not
    a requisition (not an object, no ``Id``, no ``Title``).

    >>> from datetime import UTC
    >>> p = parse_job({"Id": "25587", "Title": "Bridge Inspector", "PostedDate": "2026-08-07",
    ...                "PrimaryLocation": "PERTH, Australia", "secondaryLocations": []},
    ...               "ejov.fa.ca2.oraclecloud.com/CX", datetime(2026, 8, 9, tzinfo=UTC))
    >>> p.key, p.posted_at, p.locations
    ('oracle_hcm:ejov.fa.ca2.oraclecloud.com/CX:25587', '2026-08-07', ['PERTH, Australia'])
    >>> p.url
    'https://ejov.fa.ca2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX/job/25587'
    """
    if isinstance(record, dict):
        posting_id, title = id_and_title(
            {"id": record.get("Id"), "title": record.get("Title")}, word="requisition"
        )
    else:
        posting_id, title = id_and_title(record, word="requisition")
    description = _description(record)
    workplace_code = clean_text(record.get("WorkplaceTypeCode"))
    extra = non_empty(
        country=clean_text(record.get("PrimaryLocationCountry")),
        job_family=clean_text(record.get("JobFamily")),
        job_function=clean_text(record.get("JobFunction")),
        organization=clean_text(record.get("Organization")),
        department=clean_text(record.get("Department")),
        business_unit=clean_text(record.get("BusinessUnit")),
        legal_employer=clean_text(record.get("LegalEmployer")),
        worker_type=clean_text(record.get("WorkerType")),
        contract_type=clean_text(record.get("ContractType")),
        job_type=clean_text(record.get("JobType")),
        job_shift=clean_text(record.get("JobShift")),
        study_level=clean_text(record.get("StudyLevel")),
        manager_level=clean_text(record.get("ManagerLevel")),
        workplace_type_code=workplace_code,
        work_locations=_names(record.get("workLocation"), "LocationName"),
        # Oracle's internal key of the requisition (the number people see is ``Id``).
        internal_requisition_id=clean_text(record.get("RequisitionId")),
        hot_job=record.get("HotJobFlag") if isinstance(record.get("HotJobFlag"), bool) else None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=_public_url(board, posting_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=unique_texts(
            [record.get("PrimaryLocation"), *_names(record.get("secondaryLocations"), "Name")]
        ),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("PostedDate"))
        or clean_text(record.get("ExternalPostedStartDate")),
        closes_at=clean_text(record.get("PostingEndDate"))
        or clean_text(record.get("ExternalPostedEndDate")),
        workplace_type=clean_text(record.get("WorkplaceType")) or workplace_code,
        employment_type=clean_text(record.get("JobSchedule")),
        requisition_id=posting_id,
        extra=extra,
    )


class OracleHcmConnector(AtsConnector):
    """Fetches Oracle Recruiting Cloud sites: the listing page by page, then each detail.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = OracleHcmConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.detail_url("egug.fa.us2.oraclecloud.com/CX_1", "26011990").split("?")[1]
    'expand=all&onlyData=true&finder=ById;Id=%2226011990%22,siteNumber=CX_1'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    board_word = "site"
    record_word = "requisition"
    has_details = True

    def list_url(self, board: str, offset: int) -> str:
        """The listing page at ``offset``; the finder keeps ``;``, ``=`` and ``,`` unescaped,
        as Oracle's own careers page sends them."""
        host, site = split_board(board)
        finder = (
            f"findReqs;siteNumber={site},facetsList={FACETS},limit={self.page_size},"
            f"offset={offset},sortBy=POSTING_DATES_DESC"
        )
        query = f"onlyData=true&expand={LIST_EXPAND}&finder={_finder(finder)}"
        return self.url(host, f"{API_PATH}/recruitingCEJobRequisitions?{query}")

    def detail_url(self, board: str, posting_id: str) -> str:
        host, site = split_board(board)
        finder = f'ById;Id="{posting_id}",siteNumber={site}'
        query = f"expand=all&onlyData=true&finder={_finder(finder)}"
        return self.url(host, f"{API_PATH}/recruitingCEJobRequisitionDetails?{query}")

    def read_listing(self, board: str) -> Listing:
        """Every requisition of ``board`` (``host/site``), page by page."""
        records: list[Any] = []
        seen: set[str] = set()
        total: int | None = None
        for page in range(MAX_PAGES):
            offset = page * self.page_size
            url = self.list_url(board, offset)
            try:
                wrapper = _wrapper_in(self.client.get_json(url), url)
            except FetchError as err:
                if page == 0:
                    raise
                # A missing page leaves the listing incomplete; the pages before it still count.
                return Listing(records, error=f"page {page + 1}: {err}")
            requisitions = wrapper["requisitionList"]
            if page == 0:
                total = _total(wrapper.get("TotalJobsCount"), len(requisitions))
            for record in requisitions:
                # Requisitions posted while paging shift the offsets: keep each one once.
                record_id = self.record_id(record)
                if record_id is not None:
                    if record_id in seen:
                        continue
                    seen.add(record_id)
                records.append(record)
            read = offset + len(requisitions)
            if len(requisitions) < self.page_size or (total is not None and read >= total):
                break
        else:
            return Listing(records, error=f"stopped after {MAX_PAGES} pages")
        if total is not None and len(records) < total:
            return Listing(records, error=f"got {len(records)} of {total} requisitions")
        return Listing(records)

    def read_detail(self, board: str, record: Any) -> Any:
        """``record`` completed by its detail (the detail's values win where both have one).

        An answer without the requisition is a ``FetchError`` with status 404: the finder found
        no such posting on the site any more, which is what a 404 says elsewhere.
        """
        posting_id = self.record_id(record)
        if posting_id is None:
            return record  # nothing to ask for: ``parse`` rejects the record
        url = self.detail_url(board, posting_id)
        answer = self.client.get_json(url)
        items = answer.get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise FetchError(f"response from {url} has no 'items' list", url=url)
        if not items:
            raise FetchError(f"requisition {posting_id} is not on the site", url=url, status=404)
        if not isinstance(items[0], dict):
            raise FetchError(f"response from {url} holds no requisition object", url=url)
        merged = dict(record)
        merged.update(
            (key, value)
            for key, value in items[0].items()
            if value is not None or merged.get(key) is None
        )
        return merged

    def record_id(self, record: Any) -> str | None:
        return clean_text(record.get("Id")) if isinstance(record, dict) else None

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The ``host/site`` of a Candidate Experience URL (site, job list or job page) or of
        its REST API (the ``siteNumber`` in the finder).

        >>> OracleHcmConnector.board_from_url("HTTPS://EGUG.fa.us2.oraclecloud.com/hcmUI/"
        ...                                   "CandidateExperience/en/sites/CX_1/job/26011990")
        'egug.fa.us2.oraclecloud.com/CX_1'
        >>> OracleHcmConnector.board_from_url("https://boards.greenhouse.io/acme") is None
        True
        """
        parts = url_parts(url)
        host = parts.host
        site: str | None = None
        if match := _SITE_PATH.search(parts.path):
            site = unquote(match.group(1))
        elif parts.path.lower().startswith("/hcmrestapi/"):
            finder = " ".join(parse_qs(parts.query).get("finder", []))
            if number := _SITE_NUMBER.search(finder):
                site = number.group(1)
        if site is None or not _HOST.fullmatch(host) or not _SITE.fullmatch(site):
            return None
        return f"{host}/{site}"

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The careers site's own page.

        >>> OracleHcmConnector.careers_url("egud.fa.us2.oraclecloud.com/CX_1")
        'https://egud.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1'
        """
        host, site = split_board(board)
        return f"https://{host}/hcmUI/CandidateExperience/en/sites/{site}"


def _finder(finder: str) -> str:
    return quote(finder, safe=";=,")


def _wrapper_in(answer: Any, url: str) -> dict[str, Any]:
    """``items[0]`` of a listing answer, which holds ``requisitionList``; else a FetchError."""
    items = answer.get("items") if isinstance(answer, dict) else None
    wrapper = items[0] if isinstance(items, list) and items else None
    if not isinstance(wrapper, dict) or not isinstance(wrapper.get("requisitionList"), list):
        raise FetchError(f"response from {url} has no 'items[0].requisitionList' list", url=url)
    return wrapper


def _total(value: Any, first_page: int) -> int | None:
    """``TotalJobsCount``; None when absent or smaller than the first page (not a count)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < first_page:
        return None
    return value


def _names(items: Any, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return unique_texts(item.get(key) for item in items if isinstance(item, dict))


def _description(record: dict[str, Any]) -> str | None:
    parts = unique_texts(record.get(key) for key in DESCRIPTION_FIELDS)
    if not parts:  # a listing record alone: the short summary, when the site fills it
        parts = unique_texts([record.get("ShortDescriptionStr")])
    return "\n".join(parts) or None


def _public_url(board: str, posting_id: str) -> str | None:
    try:
        host, site = split_board(board)
    except FetchError:
        return None
    return f"https://{host}/hcmUI/CandidateExperience/en/sites/{site}/job/{posting_id}"

"""Hacker News "Who is hiring?" posts: first-line parsing, role lists, splitting into postings."""

from __future__ import annotations

import collections
import json
from datetime import UTC, datetime

import pytest

from leadboard.sources import hn
from leadboard.sources.hn import (
    UnusablePost,
    find_roles,
    is_role_title,
    parse_first_line,
    post_text,
    postings_from_record,
    split_roles,
)

WHEN = datetime(2026, 5, 1, tzinfo=UTC)

# (first line, company, roles, locations, workplace, salary, url, employment)
FIRST_LINES = [
    (
        "Kato | Senior Software Engineer | San Francisco, CA | ONSITE | Full-time",
        "Kato",
        ["Senior Software Engineer"],
        ["San Francisco, CA"],
        "ONSITE",
        None,
        None,
        "Full-time",
    ),
    (
        "BillionToOne (YC S17, NASDAQ: BLLN) | Menlo Park, CA | Onsite",
        "BillionToOne",
        [],
        ["Menlo Park, CA"],
        "Onsite",
        None,
        None,
        None,
    ),
    (
        "Mason | Software Engineer | Fulltime | San Francisco | thisismason.com",
        "Mason",
        ["Software Engineer"],
        ["San Francisco"],
        None,
        None,
        "thisismason.com",
        "Fulltime",
    ),
    (
        "ProPublica | Director of Product Engineering | Remote (US only) or NYC | Full-time",
        "ProPublica",
        ["Director of Product Engineering"],
        ["Remote (US only) or NYC"],
        "Remote (US only) or NYC",
        None,
        None,
        "Full-time",
    ),
    (
        "Smarkets (https://www.smarkets.com) | Full Time | Hybrid - Onsite (London, UK)",
        "Smarkets",
        [],
        ["Hybrid - Onsite (London, UK)"],
        "Hybrid - Onsite (London, UK)",
        None,
        "https://www.smarkets.com",
        "Full Time",
    ),
    (
        "Roblox | Full-time | San Francisco (San Mateo) | On Site | $277—$397k",
        "Roblox",
        [],
        ["San Francisco (San Mateo)"],
        "On Site",
        "$277—$397k",
        None,
        "Full-time",
    ),
    (
        "CLEAR | Senior Software Engineers (Fullstack & Backend), Staff/Lead iOS Engineer,"
        " Infrastructure Engineers| NYC Onsite (4-5 days in-office)",
        "CLEAR",
        [
            "Senior Software Engineers (Fullstack & Backend)",
            "Staff/Lead iOS Engineer",
            "Infrastructure Engineers",
        ],
        ["NYC Onsite (4-5 days in-office)"],
        "NYC Onsite (4-5 days in-office)",
        None,
        None,
        None,
    ),
    (
        "Qualcomm (San Diego, CA, USA) -- Staff Kubernetes Platform Engineer --"
        " $116,800 - $175,200 plus benefits -- onsite",
        "Qualcomm",
        ["Staff Kubernetes Platform Engineer"],
        ["San Diego, CA, USA"],
        "onsite",
        "$116,800 - $175,200 plus benefits",
        None,
        None,
    ),
    (
        "Immunera | Principal Machine Learning Engineer | NYC area (hybrid) | Full-time"
        " | immunera.ai",
        "Immunera",
        ["Principal Machine Learning Engineer"],
        ["NYC area (hybrid)"],
        "NYC area (hybrid)",
        None,
        "immunera.ai",
        "Full-time",
    ),
    (
        "Stellar | Amsterdam, the Netherlands | Onsite (2 days remote OK) | €70-100k + equity",
        "Stellar",
        [],
        ["Amsterdam, the Netherlands"],
        "Onsite (2 days remote OK)",
        "€70-100k + equity",
        None,
        None,
    ),
    (
        "EaseCloud | Remote (EST overlap) | Full-Time | Platform & Data Engineers",
        "EaseCloud",
        ["Platform & Data Engineers"],
        [],
        "Remote (EST overlap)",
        None,
        None,
        "Full-Time",
    ),
    (
        "Level 12 | Full Stack Web Developer - Python, JavaScript, SQL | REMOTE |"
        " SALARY:$95K-145K+",
        "Level 12",
        ["Full Stack Web Developer - Python, JavaScript, SQL"],
        [],
        "REMOTE",
        "$95K-145K+",
        None,
        None,
    ),
    (
        "Fluidstack | SWE, SRE, Networking, Infra, TPM, PM, and many more | SF, NYC, ATX, LON",
        "Fluidstack",
        ["SWE", "SRE", "TPM", "PM"],
        ["SF, NYC, ATX, LON"],
        None,
        None,
        None,
        None,
    ),
    (
        "Purple Candor LLC — Forward Deployment Engineers — Remote / US (Sub-contractor)",
        "Purple Candor LLC",
        ["Forward Deployment Engineers"],
        ["Remote / US (Sub-contractor)"],
        "Remote / US (Sub-contractor)",
        None,
        None,
        None,
    ),
    (
        "Ubicloud (YC W24): Software Engineer – $95-$250K in Turkey, Netherlands, CA",
        "Ubicloud",
        ["Software Engineer"],
        [],
        None,
        "$95-$250K in Turkey, Netherlands, CA",
        None,
        None,
    ),
    (
        "Kyber (YC W23) Is Hiring an Enterprise Account Executive",
        "Kyber",
        ["Enterprise Account Executive"],
        [],
        None,
        None,
        None,
        None,
    ),
    (
        "Bild AI (YC W25) Is Hiring a Founding Product Engineer",
        "Bild AI",
        ["Founding Product Engineer"],
        [],
        None,
        None,
        None,
        None,
    ),
    (
        "Hightouch (YC S19) Is Hiring",
        "Hightouch",
        [],
        [],
        None,
        None,
        None,
        None,
    ),
    (
        "Founding Engineer @ Conductor (San Francisco, ONSITE)",
        "Conductor",
        ["Founding Engineer"],
        ["San Francisco, ONSITE"],
        "San Francisco, ONSITE",
        None,
        None,
        None,
    ),
    (
        "Senior Python Backend Engineer | REMOTE (EMEA/APAC)",
        None,
        ["Senior Python Backend Engineer"],
        ["REMOTE (EMEA/APAC)"],
        "REMOTE (EMEA/APAC)",
        None,
        None,
        None,
    ),
    (
        "HIRING: Frontend Developer (Contract) | Remote (UK/EU preferred)",
        None,
        ["Frontend Developer (Contract)"],
        ["Remote (UK/EU preferred)"],
        "Remote (UK/EU preferred)",
        None,
        None,
        None,
    ),
    (
        "Yuzu Health (yuzu.health, Series A) | Location: New York City (Flatiron) | ONSITE",
        "Yuzu Health (yuzu.health, Series A)",
        [],
        ["New York City (Flatiron)"],
        "ONSITE",
        None,
        None,
        None,
    ),
    (
        "AREO | Remote (EU) | Full-Time | Roles: [Engineering Manager (Ruby on Rails),"
        " Senior Android Developer]",
        "AREO",
        ["Engineering Manager (Ruby on Rails)", "Senior Android Developer"],
        ["Remote (EU)"],
        "Remote (EU)",
        None,
        None,
        "Full-Time",
    ),
    (
        "Ziva.sh | Expert Godot developer | Remote | Contract position",
        "Ziva.sh",
        ["Expert Godot developer"],
        [],
        "Remote",
        None,
        None,
        "Contract position",
    ),
    (
        "Cloudflare | Rust/DB engineers | SF/Austin/Seattle/NYC/London/Lisbon (Onsite) | Full-time",
        "Cloudflare",
        ["Rust/DB engineers"],
        ["SF/Austin/Seattle/NYC/London/Lisbon (Onsite)"],
        "SF/Austin/Seattle/NYC/London/Lisbon (Onsite)",
        None,
        None,
        "Full-time",
    ),
    (
        "Maiven | Full-Stack Engineer, UX/UI Designer, Energy Modeling Engineer | REMOTE (US)",
        "Maiven",
        ["Full-Stack Engineer", "UX/UI Designer", "Energy Modeling Engineer"],
        ["REMOTE (US)"],
        "REMOTE (US)",
        None,
        None,
        None,
    ),
    (
        "Annex Risk | Backend + Data Engineer | Bay Area, Austin | Full-time",
        "Annex Risk",
        ["Backend + Data Engineer"],
        ["Bay Area, Austin"],
        None,
        None,
        None,
        "Full-time",
    ),
    (
        "ChainSecurity | Blockchain Security Engineer | Full-time | INTERNS",
        "ChainSecurity",
        ["Blockchain Security Engineer"],
        [],
        None,
        None,
        None,
        "Full-time",
    ),
    (
        "Sectigo | Manager, Software Development | HYBRID (Canada) Ottawa | $142k - $165k CAD",
        "Sectigo",
        ["Manager, Software Development"],
        ["HYBRID (Canada) Ottawa"],
        "HYBRID (Canada) Ottawa",
        "$142k - $165k CAD",
        None,
        None,
    ),
    (
        "Modal | Software Engineers (Product, System, SDK) | SF, NYC (ONSITE) | modal.com",
        "Modal",
        ["Software Engineers (Product, System, SDK)"],
        ["SF, NYC (ONSITE)"],
        "SF, NYC (ONSITE)",
        None,
        "modal.com",
        None,
    ),
    (
        "Lago (getlago.com) | Product & Engineering | Full-Time, Perm Hiring",
        "Lago",
        [],
        [],
        None,
        None,
        "getlago.com",
        "Full-Time, Perm Hiring",
    ),
    (
        "Pepr AI · Staff Engineer · Berlin, Germany · Hybrid",
        "Pepr AI",
        ["Staff Engineer"],
        ["Berlin, Germany"],
        "Hybrid",
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("line", "company", "roles", "locations", "workplace", "salary", "url", "employment"),
    FIRST_LINES,
    ids=[case[0][:40] for case in FIRST_LINES],
)
def test_first_line(line, company, roles, locations, workplace, salary, url, employment):
    parsed = parse_first_line(line)
    assert parsed.company == company
    assert parsed.roles == roles
    assert parsed.locations == locations
    assert parsed.workplace == workplace
    assert parsed.salary_text == salary
    assert parsed.url == url
    assert parsed.employment == employment


def test_first_line_keeps_yc_batch_and_unplaced_segments():
    parsed = parse_first_line("Acme (YC S21) | Core Team | Berlin, Germany")
    assert parsed.yc_batch == "YC S21"
    assert parsed.other == ["Core Team"]


def test_sentence_first_line_without_cues_gives_nothing():
    parsed = parse_first_line("Hi! I'm Nicole, cofounder of Gambit Robotics with Eliot.")
    assert (parsed.company, parsed.roles) == (None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senior Backend Engineer", True),
        ("Head of Growth", True),
        ("Director of Product Engineering", True),
        ("Member of Technical Staff, ML & Optimization", True),
        ("Staff/Lead iOS Engineer", True),
        ("Software Engineer, AgentOps", True),
        ("Sr. Software Engineer in Test", True),
        ("Embedded Systems Engineer (Computer Vision)", True),
        ("AE", True),
        ("Senior Software Engineer II, Guides & Surveys", True),
        ("Lead the design of our platform", False),
        ("Build and maintain backend services", False),
        ("Work with Engineers on the roadmap", False),
        ("Product & Engineering", False),
        ("Multiple Roles", False),
        ("Interns", False),
        ("Looking for Engineers", False),
        ("SRE, and a few leadership roles", False),
        ("we need engineers", False),
        ("Mid/Sr./Principal/Staff", False),
    ],
)
def test_is_role_title(text, expected):
    assert is_role_title(text) is expected


def test_lower_case_titles_pass_only_where_the_place_says_role():
    assert not is_role_title("hourly consultant")
    assert is_role_title("hourly consultant", strict_case=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Backend Engineer and Product Designer", ["Backend Engineer", "Product Designer"]),
        ("Research and Development Engineer", ["Research and Development Engineer"]),
        ("Platform & Data Engineers", ["Platform & Data Engineers"]),
        ("Staff Engineer / Technical Lead", ["Staff Engineer", "Technical Lead"]),
        ("Senior Engineer ($180k-$220k)", ["Senior Engineer"]),
        ("UX/UI Designer [no link]", ["UX/UI Designer"]),
        ("Engineering & Sales", []),
    ],
)
def test_split_roles(text, expected):
    assert split_roles(text) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "We're hiring:\n\n- Senior Backend Engineer ($180k)\n\n- Product Designer\n",
            ["Senior Backend Engineer", "Product Designer"],
        ),
        (
            "Open roles:\n1. Staff ML Engineer: https://x.example/1\n2) Head of Data\n",
            ["Staff ML Engineer", "Head of Data"],
        ),
        (
            "* Staff Software Engineer - Infrastructure, Machine Learning ($250,000 - $330,000):"
            " https://x.example/a\n* Senior Software Engineer - Full Stack ($200,000): https://x",
            [
                "Staff Software Engineer - Infrastructure, Machine Learning",
                "Senior Software Engineer - Full Stack",
            ],
        ),
        (
            "• Embedded Systems Engineer (Computer Vision)\nhttps://x.example/e\n\n"
            "• Head of Growth\nhttps://x.example/g",
            ["Embedded Systems Engineer (Computer Vision)", "Head of Growth"],
        ),
        (
            "Backend Engineer:\n- Python or C++, API design\n- Database design\n\n"
            "Frontend Engineer:\n- TypeScript, React\n",
            ["Backend Engineer", "Frontend Engineer"],
        ),
        (
            "We are hiring for: Data Engineer, ML Engineer and Product Manager.",
            ["Data Engineer", "ML Engineer", "Product Manager"],
        ),
        (
            "We're looking for a Senior Full-Stack Engineer to take ownership of our backend.",
            ["Senior Full-Stack Engineer"],
        ),
        (
            "[Leadership] Engineering Manager (SF) https://x.example/em\n\n"
            "Sr Product Designer (SF / NYC) https://x.example/pd",
            ["Engineering Manager (SF)", "Sr Product Designer (SF / NYC)"],
        ),
        # Responsibilities, not roles.
        ("You will:\n1. Lead the design of our APIs\n2. Mentor Engineers\n3. Ship", []),
        ("- Build and maintain services\n- Work with Product Managers\n- Own on-call", []),
        ("We're hiring for many engineering roles in NYC, including our platform.", []),
        ("About us:\nWe are a small team.\n\nWhy join:\n- Remote\n- Equity", []),
    ],
)
def test_find_roles(body, expected):
    assert find_roles(body) == expected


def test_post_text_unescapes_and_keeps_full_links():
    post = (
        'Acme | <a href="https:&#x2F;&#x2F;acme.com&#x2F;jobs" rel="nofollow">'
        "https:&#x2F;&#x2F;acme.com&#x2F;j...</a><p>We&#x27;re &amp; <i>you</i>"
    )
    assert post_text(post) == "Acme | https://acme.com/jobs\n\nWe're & you"


def record(description: str, **fields) -> dict:
    return {
        "id": "hn-46000001",
        "source": "hn-who-is-hiring-2026",
        "url": "https://news.ycombinator.com/item?id=46000001",
        "description": description,
        "posted_at": "2026-01-02T18:12:25Z",
        "extra": {"silver_labels": {"role": "Software Engineer"}},
        **fields,
    }


def test_post_with_several_roles_splits_into_one_posting_per_role():
    post = (
        "Acme | Berlin, Germany | REMOTE (EU) | €90k-€120k<p>We build tools.<p>Open roles:"
        "<p>- Backend Engineer<p>- Product Designer ($100k)<p>- Head of Data"
    )
    postings = postings_from_record(record(post), fetched_at=WHEN)

    assert [p.key for p in postings] == [
        "hn:news.ycombinator.com:46000001-0",
        "hn:news.ycombinator.com:46000001-1",
        "hn:news.ycombinator.com:46000001-2",
    ]
    assert [p.title for p in postings] == ["Backend Engineer", "Product Designer", "Head of Data"]
    assert [p.salary_text for p in postings] == ["€90k-€120k", "$100k", "€90k-€120k"]
    for posting in postings:
        assert posting.company == "Acme"
        assert posting.locations == ["Berlin, Germany", "REMOTE (EU)"]
        assert posting.workplace_type == "REMOTE (EU)"
        assert posting.description_format == "text"
        assert posting.posted_at == "2026-01-02T18:12:25Z"
        assert posting.url == "https://news.ycombinator.com/item?id=46000001"
        assert posting.extra["silver_labels"] == {"role": "Software Engineer"}
        assert posting.extra["roles_in_post"] == 3
    assert [p.extra["role_index"] for p in postings] == [0, 1, 2]
    # Each keeps the post less the other roles' lines: no other role's text attaches to it.
    assert postings[1].description == (
        "Acme | Berlin, Germany | REMOTE (EU) | €90k-€120k\n\nWe build tools.\n\nOpen roles:"
        "\n\n- Product Designer ($100k)"
    )
    assert "Head of Data" not in postings[0].description


def test_roles_named_on_one_line_share_the_whole_post():
    post = "Acme | Backend Engineer, Product Designer | Remote<p>We build tools in Go."
    postings = postings_from_record(record(post), fetched_at=WHEN)
    assert [p.description for p in postings] == [post, post]
    assert {p.description_format for p in postings} == {"html"}


def test_a_role_section_runs_to_the_next_role_or_blank_line():
    post = (
        "Thothmind | REMOTE<p><pre><code>We're hiring:\n\nBackend Engineer:\n- Python\n- Postgres"
        "\nFrontend Engineer:\n- TypeScript\n\nApply at thothmind.com</code></pre>"
    )
    backend, frontend = postings_from_record(record(post), fetched_at=WHEN)
    assert "Python" in backend.description and "TypeScript" not in backend.description
    assert "TypeScript" in frontend.description and "Postgres" not in frontend.description
    assert "Apply at thothmind.com" in backend.description  # the post's own ending is shared


def test_post_with_one_role_keeps_the_bare_id():
    [posting] = postings_from_record(
        record("Acme | Staff ML Engineer | Remote<p>Details."), fetched_at=WHEN
    )
    assert posting.external_id == "46000001"
    assert posting.title == "Staff ML Engineer"


def test_post_without_a_role_gets_a_placeholder_title_from_its_company():
    [posting] = postings_from_record(
        record("Acme | Berlin | ONSITE<p>We hire generalists."), fetched_at=WHEN
    )
    assert (posting.external_id, posting.title, posting.company) == (
        "46000001",
        "Open roles at Acme",
        "Acme",
    )
    assert posting.extra["title_is_placeholder"] is True


def test_post_without_a_role_or_a_company_stays_untitled():
    [posting] = postings_from_record(
        record("I am exploring a new venture and need help.<p>Mail me."), fetched_at=WHEN
    )
    assert posting.title is None


def test_body_list_replaces_a_vaguer_first_line():
    post = (
        "Thothmind | Software Engineers (Backend, Frontend) | REMOTE<p><pre><code>"
        "  We're hiring:\n\n  Backend Engineer:\n  - Python\n\n  Frontend Engineer:\n"
        "  - TypeScript</code></pre>"
    )
    titles = [p.title for p in postings_from_record(record(post), fetched_at=WHEN)]
    assert titles == ["Backend Engineer", "Frontend Engineer"]


def test_job_story_takes_its_role_from_the_yc_page_line():
    post = (
        "Hightouch (YC S19) Is Hiring\n\nSenior Data Engineer at Hightouch | Y Combinator"
        " Open menu About"
    )
    [posting] = postings_from_record(record(post), fetched_at=WHEN)
    assert (posting.company, posting.title) == ("Hightouch", "Senior Data Engineer")


def test_the_same_post_always_gives_the_same_postings():
    post = "Acme | Backend Engineer, Product Designer | Remote"
    assert postings_from_record(record(post), fetched_at=WHEN) == postings_from_record(
        record(post), fetched_at=WHEN
    )


@pytest.mark.parametrize("text", ["[flagged]", "[dead]", "", "   "])
def test_flagged_dead_and_empty_posts_are_unusable(text):
    with pytest.raises(UnusablePost):
        postings_from_record(record(text), fetched_at=WHEN)


@pytest.mark.parametrize(
    "post",
    [
        "SEEKING WORK | Full-Stack Developer (Django, Vue, AWS) Location: Argentina",
        "SEEKING | AI/ML Engineer | Auburn AL → SF/Seattle/NYC/Remote",
        "SEEKING PARTNER | Bay Area | Applied Research Lab<p>Not a job.",
    ],
)
def test_a_job_seekers_post_is_no_opening(post):
    with pytest.raises(UnusablePost, match="job seeker"):
        postings_from_record(record(post), fetched_at=WHEN)


def test_an_opening_that_is_seeking_someone_stays():
    post = "Acme | Remote<p>We're seeking a turnaround Engineering Manager for our PHP code base."
    [posting] = postings_from_record(record(post), fetched_at=WHEN)
    assert posting.company == "Acme"


def test_is_hn_record():
    assert hn.is_hn_record(record("x"))
    assert not hn.is_hn_record({"url": "https://example.com/item?id=1"})
    assert not hn.is_hn_record({"url": None})


@pytest.mark.shared_data
def test_real_posts(shared_data_dir):
    """Shares on the 1,720 real posts; run with -s to see the figures."""
    path = shared_data_dir / "postings" / "hn-who-is-hiring-2026" / "postings.jsonl"
    roles_per_post: collections.Counter[int] = collections.Counter()
    with_company = with_title = unusable = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                postings = postings_from_record(json.loads(line), fetched_at=WHEN)
            except UnusablePost:
                unusable += 1
                continue
            titled = postings[0].title is not None
            roles_per_post[len(postings) if titled else 0] += 1
            with_company += postings[0].company is not None
            with_title += titled
    posts = sum(roles_per_post.values())
    print(
        f"\n{posts} posts ({unusable} unusable): company {with_company / posts:.1%}, "
        f"title {with_title / posts:.1%}, roles per post {sorted(roles_per_post.items())}"
    )
    assert posts + unusable == 1720
    assert with_company / posts > 0.85
    assert with_title / posts > 0.70
    assert 1 < sum(n * count for n, count in roles_per_post.items()) / with_title < 2


@pytest.mark.shared_data
def test_real_multi_role_posts_keep_other_roles_out(shared_data_dir):
    """On the real posts: a role listed on its own line carries no other role's line."""
    path = shared_data_dir / "postings" / "hn-who-is-hiring-2026" / "postings.jsonl"
    split = leaks = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                postings = postings_from_record(json.loads(line), fetched_at=WHEN)
            except UnusablePost:
                continue
            for posting in postings:
                if posting.description_format != "text":
                    continue
                split += 1
                others = [p.title for p in postings if p.title and p.title != posting.title]
                body = posting.description.partition("\n")[2]  # the first line names them all
                leaks += any(
                    f"\n{title}" in body or f"- {title}" in body
                    for title in others
                    if title not in (posting.title or "")
                )
    print(f"\n{split} role postings cut from multi-role posts, {leaks} with another role's line")
    assert split > 100 and leaks / split < 0.02

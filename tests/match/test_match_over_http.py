"""POST /api/v1/match and /match against hostile requests: the whole body is capped, not only
each part; the work has a time budget and stops when it is spent or the client goes. (Issue 12:
40 parts of 5 MB were buffered, +216 MB; a résumé's reading went on for minutes after its
client left.)"""

import time
import tracemalloc

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from support.match_jobs import STAFF_ML_RESUME, fill_postings, match_engine

from leadboard.match.documents import MAX_BYTES, ResumeError
from leadboard.match.form import MAX_BODY
from leadboard.web.app import create_app
from leadboard.web.uploads import within_budget

MB = 1024 * 1024


def in_own_thread(function, *args):
    """Run ``function`` in a fresh thread: the browser tests leave an event loop running in
    this one (Playwright's sync API), and ``anyio.run`` refuses to start beside it."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@pytest.fixture
def app(store, embedder):
    fill_postings(store, embedder)
    return create_app(store, match_engine(store, embedder))


def many_parts(parts: int, size: int):
    """A multipart body of ``parts`` files of ``size`` bytes each, streamed (no length sent)."""
    block = b"a" * MB
    for index in range(parts):
        yield (
            f'--b\r\nContent-Disposition: form-data; name="resume{index}"; '
            f'filename="cv{index}.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        for _ in range(size // MB):
            yield block
        yield b"\r\n"
    yield b"--b--\r\n"


def post_streamed(app, path: str, chunks, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST a body to the ASGI app a chunk at a time, as a server hands it over (a test
    client would read the whole body first)."""
    body = iter(chunks)
    answer = {"status": 0, "body": b""}

    async def receive():
        chunk = next(body, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 1234),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    in_own_thread(anyio.run, app, scope, receive, send)
    return answer["status"], answer["body"]


def test_forty_parts_of_five_mb_are_refused_at_the_total_cap(app):
    tracemalloc.start()
    try:
        status, body = post_streamed(
            app,
            "/api/v1/match",
            many_parts(40, MAX_BYTES),
            {"content-type": "multipart/form-data; boundary=b"},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 413, body
    assert b'"problem":"too_large"' in body and b"in all" in body
    assert peak < 3 * MAX_BODY, f"peak {peak / MB:.0f} MB"


def test_a_declared_length_over_the_total_cap_is_refused_before_reading(app):
    response = TestClient(app).post(
        "/match",
        content=b"x" * 10,
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "content-length": str(MAX_BODY + 1),
        },
    )
    assert response.status_code == 413 and "in all" in response.text


def test_files_other_than_the_resume_are_dropped_not_kept(app):
    # What is tested is the dropped file, not the time: a loaded CI machine took the first
    # match (models loading) past the 10 s default budget.
    app.state.match_budget = 120
    response = TestClient(app).post(
        "/api/v1/match",
        files=[
            ("attachment", ("photo.png", b"\x89PNG" + b"\x00" * MB, "image/png")),
            ("resume", ("cv.md", STAFF_ML_RESUME.encode(), "text/markdown")),
        ],
        data={"limit": "2"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["profile"]["seniority"] == "staff"


def test_the_match_answers_within_its_budget_on_a_pathological_resume(app):
    client = TestClient(app)
    # One line of skill mentions: 19 s of CPU before issue 12, a fraction of a second now;
    # a budget smaller than that shows the answer comes when the budget is spent.
    pathological = ("Python, PyTorch and Kubernetes; managed a team of 5 engineers. " * 2000)[
        :120_000
    ]
    # The first match loads the models: given time enough on a loaded machine (it took a CI
    # run past the 10 s default budget), as in the test above.
    app.state.match_budget = 120
    warm = client.post("/api/v1/match", files={"resume": ("cv.md", STAFF_ML_RESUME.encode())})
    assert warm.status_code == 200, warm.text
    app.state.match_budget = 0.05
    started = time.monotonic()
    response = client.post(
        "/api/v1/match", files={"resume": ("cv.txt", pathological.encode(), "text/plain")}
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json()["problem"] == "too_slow" and "Try again" in response.json()["detail"]
    assert elapsed < 0.05 + 1.5, elapsed
    page = client.post("/match", files={"resume": ("cv.txt", pathological.encode(), "text/plain")})
    assert page.status_code == 503 and "longer than the 0.05 s allowed" in page.text
    # With the default budget (10 s) the same résumé is read and matched (a killed worker is
    # replaced).
    del app.state.match_budget
    response = client.post(
        "/api/v1/match", files={"resume": ("cv.txt", pathological.encode(), "text/plain")}
    )
    assert response.status_code == 200, response.text


def test_the_work_stops_when_the_client_goes():
    messages = iter([{"type": "http.disconnect"}])

    async def receive():
        await anyio.sleep(0.1)
        return next(messages)

    request = Request({"type": "http", "method": "POST", "headers": []}, receive)
    finished = []

    async def work():
        await anyio.sleep(10)
        finished.append(True)

    async def main():
        started = time.monotonic()
        with pytest.raises(ResumeError) as caught:
            await within_budget(request, work, seconds=30)
        return caught.value, time.monotonic() - started

    error, elapsed = in_own_thread(anyio.run, main)
    assert error.problem == "gone" and elapsed < 1.0 and not finished

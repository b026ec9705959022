"""Résumés made to hurt the server: each is read in time linear in its size, in bounded memory,
or refused with a message that says why. (Issue 12: a 120 KB one-line résumé took 19 s of CPU;
a DOCX that claimed 20 KB inflated to 200 MB in the server.)"""

import io
import struct
import time
import tracemalloc
import zipfile
from datetime import date

import pytest
from support.match_jobs import STAFF_ML_RESUME

from leadboard.match.documents import MAX_TEXT, MAX_UNPACKED, ResumeError, resume_text
from leadboard.match.profile import MAX_LINE, read_profile

TODAY = date(2026, 7, 1)
MB = 1024 * 1024


def one_line(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def cpu_seconds(text: str) -> float:
    started = time.process_time()
    read_profile(text, today=TODAY)
    return time.process_time() - started


# Shapes that were quadratic: a skill mention per few words on one line (each mention re-read
# the whole line), many headings with skills under them (each mention looked for its section
# from the first one), lower-case lines glued to the one before (the line was copied per piece).
SHAPES = {
    "skills on one line": "Python, PyTorch and Kubernetes; managed a team of 5 engineers. ",
    "headings and skills": "Skills: Python\nExperience\nEducation\n",
    "wrapped lines": "and more work with pytorch\n",
    "date ranges on one line": "Staff ML Engineer, Acme — Jan 2019 – Mar 2021 · ",
    "wide gaps": "led" + " " * 500 + "a team" + " " * 500 + "2019 -" + " " * 500,
}


def test_a_120_kb_one_line_resume_profiles_in_well_under_a_second():
    text = one_line(SHAPES["skills on one line"], 120_000)
    assert cpu_seconds(text) < 1.0
    profile = read_profile(text, today=TODAY)
    pytorch = next(skill for skill in profile.skills if skill.name == "PyTorch")
    # The evidence is the part of the line that names the skill, cut to an evidence line.
    assert "PyTorch" in pytorch.lines[0] and len(pytorch.lines[0]) <= MAX_LINE


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_work_grows_linearly_with_the_text(shape):
    small = min(cpu_seconds(one_line(SHAPES[shape], 60_000)) for _ in range(2))
    large = min(cpu_seconds(one_line(SHAPES[shape], 240_000)) for _ in range(2))
    # Four times the text: about four times the work (quadratic code took sixteen times).
    assert large < 8 * max(small, 0.01), (small, large)
    assert large < 3.0


def test_markdown_that_never_closes_is_read_in_linear_time():
    for unit in ("[a](", "**a ", "`a ", "[[[["):
        data = STAFF_ML_RESUME.encode() + b"\n" + one_line(unit, 400_000).encode()
        started = time.process_time()
        text = resume_text(data, "cv.md")
        assert time.process_time() - started < 2.0, unit
        assert text.startswith("Priya Raman") and len(text) <= MAX_TEXT


def test_only_the_first_characters_of_a_long_resume_are_read():
    data = STAFF_ML_RESUME.encode() + b"\nMore experience with PyTorch and Kubernetes." * 100_000
    assert len(data) > 4 * MB
    text = resume_text(data, "cv.txt")
    assert text.startswith("Priya Raman") and len(text) <= MAX_TEXT


# --- A DOCX that lies about its sizes ---------------------------------------------------------


def lying_docx(claimed: int, inflated: int) -> bytes:
    """A Word file whose document.xml says (in both zip headers) it is ``claimed`` bytes long
    and inflates to ``inflated`` bytes: made as a stream, so the test itself stays small."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, source.read(item.filename))
        with archive.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="urn:x"><w:body>')
            block = b" " * MB
            for _ in range(inflated // MB):
                member.write(block)
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04")
    while local != -1:  # the local header: its uncompressed size is at offset 22
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:  # the central directory's entry: at offset 24
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_docx_that_claims_20_kb_but_inflates_to_200_mb_is_refused_in_bounded_memory():
    bomb = lying_docx(claimed=20_000, inflated=200 * MB)
    assert len(bomb) < 1 * MB
    declared = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()}
    assert declared["word/document.xml"] == 20_000  # it lies
    tracemalloc.start()
    try:
        with pytest.raises(ResumeError) as caught:
            resume_text(bomb, "cv.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.problem == "zip_bomb" and "zip bomb" in str(caught.value)
    assert peak < 100 * MB, f"peak {peak / MB:.0f} MB"
    assert peak < 3 * MAX_UNPACKED


def test_a_table_whose_cells_claim_a_huge_span_is_read_once_per_cell():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph(STAFF_ML_RESUME)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Staff ML Engineer, Acme | 2016 – 2019"
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "10000000")  # a cell that says it spans ten million columns
    table.rows[0].cells[0]._tc.get_or_add_tcPr().append(span)
    buffer = io.BytesIO()
    document.save(buffer)
    started = time.process_time()
    text = resume_text(buffer.getvalue(), "cv.docx")
    assert time.process_time() - started < 2.0
    assert "Staff ML Engineer, Acme | 2016 – 2019" in text


# --- Encrypted PDFs ----------------------------------------------------------------------------


def test_an_aes_256_pdf_locked_only_by_an_owner_password_is_read():
    fpdf = pytest.importorskip("fpdf")
    from pypdf import PdfReader, PdfWriter

    document = fpdf.FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    for line in STAFF_ML_RESUME.splitlines():
        latin = line.encode("latin-1", "replace").decode("latin-1")
        document.multi_cell(0, 6, latin or " ", new_x="LMARGIN", new_y="NEXT")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(document.output()))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    assert PdfReader(io.BytesIO(locked.getvalue())).is_encrypted
    assert "Managed a team of 6" in resume_text(locked.getvalue(), "cv.pdf")


# --- PDF pages that would take seconds to parse ------------------------------------------------


def _pdf_with_pages(*contents: bytes) -> bytes:
    """A PDF whose pages hold these drawing instructions (deflated, as PDFs store them)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    writer = PdfWriter()
    for content in contents:
        page = writer.add_blank_page(width=612, height=792)
        fonts = DictionaryObject({NameObject("/F1"): helvetica})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_ops(text: str, repeat: int) -> bytes:
    return (f"BT /F1 11 Tf 72 720 Td ({text}) Tj ET\n" * repeat).encode("latin-1")


def test_a_pdf_page_with_megabytes_of_drawing_instructions_is_refused_fast():
    """~1.5 s of CPU a MB in pypdf: a 6 KB PDF holding MBs of text cost a request seconds."""
    from leadboard.match.documents import MAX_PDF_CONTENT

    huge = _text_ops("Python PyTorch Kubernetes leadership", MAX_PDF_CONTENT // 40)
    data = _pdf_with_pages(huge)
    assert len(data) < 200_000  # small on the wire, huge once inflated
    started = time.process_time()
    with pytest.raises(ResumeError) as error:
        resume_text(data, "cv.pdf")
    assert time.process_time() - started < 1.0
    assert error.value.problem == "too_large" and "drawing instructions" in error.value.message


def test_pages_past_the_content_budget_are_left_unread():
    from leadboard.match.documents import MAX_PDF_CONTENT

    first = _text_ops("Staff ML engineer: PyTorch, Kubernetes, led a team of six", 40)
    rest = _text_ops("filler", MAX_PDF_CONTENT // 30)
    started = time.process_time()
    text = resume_text(_pdf_with_pages(first, rest), "cv.pdf")
    assert time.process_time() - started < 1.0
    assert "led a team of six" in text and "filler" not in text

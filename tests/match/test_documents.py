"""Résumé files in, text out — and every kind of bad file gets its own clear message. The files
are made here (fpdf2 writes PDFs, python-docx DOCX), none is kept on disk."""

import io
import zipfile

import pytest
from support.match_jobs import STAFF_ML_RESUME

from leadboard.match.documents import MAX_BYTES, ResumeError, resume_text

fpdf = pytest.importorskip("fpdf")


def pdf_of(text: str) -> bytes:
    document = fpdf.FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    for line in text.splitlines():
        # The core fonts are Latin-1; the test résumé's "·" and "—" are too.
        latin = line.encode("latin-1", "replace").decode("latin-1")
        document.multi_cell(0, 6, latin or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def docx_of(text: str, *, table: bool = False) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        row = document.add_table(rows=1, cols=2).rows[0]
        row.cells[0].text, row.cells[1].text = "Staff ML Engineer, Acme", "2016 – 2019"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def problem_of(data: bytes, name: str) -> tuple[str, str]:
    with pytest.raises(ResumeError) as caught:
        resume_text(data, name)
    return caught.value.problem, str(caught.value)


# --- Round trips -------------------------------------------------------------------------------


def test_pdf_docx_text_and_markdown_give_the_same_lines():
    for data, name in [
        (pdf_of(STAFF_ML_RESUME), "cv.pdf"),
        (docx_of(STAFF_ML_RESUME), "cv.docx"),
        (STAFF_ML_RESUME.encode(), "cv.md"),
        (STAFF_ML_RESUME.encode("utf-16"), "cv.txt"),
    ]:
        text = resume_text(data, name)
        assert "Managed a team of 6 ML engineers building home-feed ranking models" in text, name
        assert "Jan 2019" in text and "Python, PyTorch, TensorFlow" in text, name
    markdown = resume_text(STAFF_ML_RESUME.encode(), "cv.md")
    assert "## Experience" not in markdown and "\nExperience\n" in markdown
    assert "**" not in markdown


def test_docx_tables_are_read_row_by_row():
    text = resume_text(docx_of(STAFF_ML_RESUME, table=True), "cv.docx")
    assert "Staff ML Engineer, Acme | 2016 – 2019" in text


def test_the_bytes_decide_the_kind_not_the_name():
    assert "Managed a team" in resume_text(docx_of(STAFF_ML_RESUME), "resume.pdf")


# --- Bad input: each says what went wrong and what to do ----------------------------------------


def test_an_empty_file():
    problem, message = problem_of(b"", "cv.pdf")
    assert problem == "empty" and "0 bytes" in message and "Upload" in message


def test_a_corrupt_or_cut_off_pdf():
    whole = pdf_of(STAFF_ML_RESUME)
    for broken in (whole[: len(whole) // 3], b"%PDF-1.7\n" + b"\x00garbage" * 50):
        problem, message = problem_of(broken, "cv.pdf")
        assert problem == "corrupt" and "damaged" in message and "export it again" in message


def test_a_password_protected_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_of(STAFF_ML_RESUME))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    problem, message = problem_of(buffer.getvalue(), "cv.pdf")
    assert problem == "encrypted" and "password" in message and "without the password" in message


def test_a_pdf_locked_only_against_printing_is_read():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_of(STAFF_ML_RESUME))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "Managed a team of 6" in resume_text(buffer.getvalue(), "cv.pdf")


def test_a_scanned_pdf_with_only_an_image():
    from PIL import Image

    scan = io.BytesIO()
    Image.new("L", (400, 500), color=255).save(scan, format="PNG")
    document = fpdf.FPDF()
    document.add_page()
    document.image(io.BytesIO(scan.getvalue()), x=10, y=10, w=180)
    problem, message = problem_of(bytes(document.output()), "scan.pdf")
    assert problem == "scanned" and "scanned" in message and "does not read images" in message


def test_word_files_with_macros():
    plain = docx_of(STAFF_ML_RESUME)
    problem, message = problem_of(plain, "cv.docm")
    assert problem == "macros" and "macros" in message and ".docx" in message
    with_macros = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(with_macros, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"macro" * 100)
    assert problem_of(with_macros.getvalue(), "cv.docx")[0] == "macros"


def test_a_zip_bomb_dressed_as_docx():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))  # packs to ~60 kB
    assert len(bomb.getvalue()) < 200_000
    problem, message = problem_of(bomb.getvalue(), "cv.docx")
    assert problem == "zip_bomb" and "zip bomb" in message


def test_a_file_over_five_megabytes():
    problem, message = problem_of(b"a" * (MAX_BYTES + 1), "cv.txt")
    assert problem == "too_large" and "5 MB" in message


def test_a_resume_in_another_language():
    german = (
        "Lebenslauf\nErfahrung\nLeiter der Entwicklung, Acme GmbH, 2019 – heute\n"
        "Ich habe die Entwicklung der Plattform mit dem Team geleitet und bin für die "
        "Architektur der Modelle und die Einstellung von Ingenieuren zuständig. Wir haben "
        "eine Lösung für die Suche entwickelt, die bei der Kundschaft gut ankommt.\n"
    )
    problem, message = problem_of(german.encode(), "lebenslauf.txt")
    assert problem == "not_english" and "German" in message and "English version" in message
    cyrillic = "Опыт работы: руководитель группы машинного обучения, 2019 – настоящее время. " * 3
    assert problem_of(cyrillic.encode(), "cv.txt")[0] == "not_english"


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "cv.png", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "cv.doc", "old Word"),
        (bytes(range(256)) * 8, "cv.bin", "cannot read this kind of file"),
    ],
    ids=["image", "old-doc", "binary"],
)
def test_kinds_of_file_it_does_not_read(data, name, words):
    problem, message = problem_of(data, name)
    assert problem == "unsupported" and words in message


def test_a_zip_that_is_not_a_word_document():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("content.xml", "<office:document/>")
    problem, message = problem_of(archive.getvalue(), "cv.odt")
    assert problem == "unsupported" and "not a Word document" in message


def test_a_file_with_almost_no_text():
    assert problem_of(b"Jane Doe\nCV", "cv.txt")[0] == "too_short"

"""A résumé file in, its text out — or a :class:`ResumeError` that says what went wrong and what
to do about it.

PDF (pypdf), DOCX (python-docx), plain text and Markdown are read from bytes in memory: nothing is
written to disk and nothing is logged. The kind is decided by the file's first bytes, the name
only breaking ties (a ``.pdf`` that is really a Word file is read as Word). Everything a person
might upload by mistake gets its own message: a zero-byte or cut-off file, a password-protected
or scanned (image-only) PDF, a Word file with macros, an old ``.doc``, an image, a file over
5 MB, a zip bomb dressed as a DOCX, a résumé in another language.

>>> resume_text(b"Jane Doe\\nStaff ML Engineer, Acme (2019 - Present)\\n" * 3, "cv.txt")[:26]
'Jane Doe\\nStaff ML Engineer'
>>> try:
...     resume_text(b"", "cv.pdf")
... except ResumeError as error:
...     print(error.problem, "-", error)
empty - The file is empty (0 bytes). Upload the résumé file itself: PDF, DOCX, TXT or Markdown, \
up to 5 MB.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Literal

from leadboard.normalize.html import clean_plain_text

MAX_BYTES = 5 * 1024 * 1024
# A DOCX whose parts would unpack to more than this, or that is packed more tightly than any
# document is, is a zip bomb rather than a résumé.
MAX_UNPACKED = 40 * 1024 * 1024
MAX_RATIO = 150
MAX_PAGES = 30  # a résumé is a few pages; a 500-page PDF is not one, and costs seconds to read
MIN_LETTERS = 80  # fewer letters than this is no résumé: a scan, a blank page, a stray file
ACCEPTED = "PDF, DOCX, TXT or Markdown, up to 5 MB"

Problem = Literal[
    "missing",
    "bad_form",
    "empty",
    "too_large",
    "unsupported",
    "corrupt",
    "encrypted",
    "scanned",
    "macros",
    "zip_bomb",
    "not_english",
    "too_short",
]


class ResumeError(ValueError):
    """A résumé that cannot be read; ``str()`` is the message for the person who uploaded it.

    ``problem`` names what went wrong, for programs (the API answers it as ``problem``).
    """

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def too_large() -> ResumeError:
    """The error for a file over :data:`MAX_BYTES` (upload readers raise it while reading)."""
    return ResumeError(
        "too_large",
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. A résumé rarely is: export it "
        "again without embedded images (or as plain text) and upload that.",
    )


def resume_text(data: bytes, filename: str = "") -> str:
    """The text of a résumé file, lines kept, whitespace tidied.

    ``filename`` only helps where the bytes do not say what they are (plain text vs. Markdown)
    and to recognise ``.docm`` files. Raises :class:`ResumeError` for anything unreadable.

    >>> resume_text(b"# Jane Doe\\n\\n**Skills:** Python, PyTorch and a lot more text here "
    ...             b"to be long enough to read as a resume of an engineer.", "cv.md")
    'Jane Doe\\n\\nSkills: Python, PyTorch and a lot more text here to be long enough to read as \
a resume of an engineer.'
    """
    if not data:
        raise ResumeError(
            "empty", f"The file is empty (0 bytes). Upload the résumé file itself: {ACCEPTED}."
        )
    if len(data) > MAX_BYTES:
        raise too_large()
    name = filename.lower().strip()
    head = data[:1024]
    if b"%PDF-" in head:
        text = _pdf_text(data)
    elif data.startswith(b"PK\x03\x04"):
        text = _docx_text(data, name)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97–2003, old Excel…
        raise ResumeError(
            "unsupported",
            "This is an old Word (.doc) file, which Leadboard does "
            "not read. Save it as .docx or PDF (File → Save As) and upload that.",
        )
    elif _is_image(head) or name.endswith((".png", ".jpg", ".jpeg", ".heic", ".tiff")):
        raise ResumeError(
            "unsupported",
            "This is an image, and Leadboard does not read text "
            "in images. Upload the résumé as PDF, DOCX or text.",
        )
    elif name.endswith(".pdf"):
        raise _corrupt("PDF")
    elif name.endswith((".docx", ".docm")):
        raise _corrupt("Word")
    else:
        text = _plain_text(data, name)
    text = clean_plain_text(text)
    _check_readable(text)
    return text


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    encrypted = ResumeError(
        "encrypted",
        "This PDF is protected by a password, so it cannot be "
        "read. Save a copy without the password (e.g. print it to a new "
        "PDF) and upload that.",
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are "encrypted" only to restrict printing, with an empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except ResumeError:
        raise
    except (FileNotDecryptedError, DependencyError) as error:
        raise encrypted from error
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        raise _corrupt("PDF") from error
    text = "\n".join(pages)
    if _letters(text) < MIN_LETTERS:
        raise ResumeError(
            "scanned",
            "This PDF has no text to read: it looks scanned (pages of "
            "images). Leadboard does not read images; export the résumé from the "
            "program that wrote it (Word, Google Docs…) as PDF or DOCX and upload "
            "that.",
        )
    return text


# --- DOCX ----------------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _corrupt("Word") from error
    names = {member.filename for member in members}
    # Reading stops at each part's declared size, so the declared sizes bound what unpacks.
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise ResumeError(
            "zip_bomb",
            "This file unpacks to far more than any document (it looks "
            "like a zip bomb), so it was not opened. Upload the résumé itself as "
            "PDF or DOCX.",
        )
    if name.endswith(".docm") or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ResumeError(
            "macros",
            "This Word file contains macros, and Leadboard does not open "
            "files with macros. Save it as a plain Word document (.docx, File → "
            "Save As) or as PDF and upload that.",
        )
    if "word/document.xml" not in names:
        raise ResumeError(
            "unsupported",
            "This is a zip archive but not a Word document (.docx). "
            f"Upload the résumé as {ACCEPTED}.",
        )
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):  # résumés lay out dates and titles in tables
                for row in block.rows:
                    cells = [cell.text.strip() for cell in row.cells]
                    lines.append(" | ".join(dict.fromkeys(c for c in cells if c)))
            else:
                lines.append(block.text)
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on a broken file
        raise _corrupt("Word") from error
    return "\n".join(lines)


# --- Text and Markdown ---------------------------------------------------------------------------

_MARKDOWN = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),  # headings
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: keep the words
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$", re.MULTILINE), ""),  # rules
    (re.compile(r"`([^`]*)`"), r"\1"),
]


def _plain_text(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:4096]:
        raise ResumeError(
            "unsupported",
            f"Leadboard cannot read this kind of file. Upload the résumé as {ACCEPTED}.",
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Windows' old default
    if _control_share(text) > 0.05:
        raise ResumeError(
            "unsupported",
            "Leadboard cannot read this kind of file (it is not "
            f"text). Upload the résumé as {ACCEPTED}.",
        )
    if name.endswith((".md", ".markdown")) or re.search(r"^#{1,3} \w", text, re.MULTILINE):
        for pattern, replacement in _MARKDOWN:
            text = pattern.sub(replacement, text)
    return text


def _control_share(text: str) -> float:
    sample = text[:20_000]
    control = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return control / max(1, len(sample))


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")) or (
        head[4:12] in (b"ftypheic", b"ftypmif1")
    )


# --- What the text says --------------------------------------------------------------------------

# Frequent words that are each language's own (none is an English word too): a few of them in a
# résumé's running text say which language it is written in.
_WORDS_OF: dict[str, str] = {
    "English": "the and of to with for from at by is was were our my this that which led built "
    "using team",
    "German": "und der die das mit für von bei zur zum ist wir ich eine einer entwicklung "
    "erfahrung kenntnisse",
    "French": "et le la les des du pour avec dans une sur nous je aux développement expérience "
    "compétences",
    "Spanish": "y el los las del para con una por que su desarrollo experiencia conocimientos",
    "Portuguese": "e os das dos para com uma não em experiência desenvolvimento conhecimentos",
    "Italian": "e il gli della delle per con una che nel sviluppo esperienza competenze",
    "Dutch": "en het een voor met van bij wij ik ontwikkeling ervaring",
}
_FUNCTION_WORDS = {language: frozenset(words.split()) for language, words in _WORDS_OF.items()}
_WORD = re.compile(r"[^\W\d_]+")


def language_of(text: str) -> str:
    """The language a text is most likely written in, by its function words (and script).

    >>> language_of("Led the ranking team and built the training platform for our models.")
    'English'
    >>> language_of("Ich habe die Entwicklung der Plattform mit dem Team geleitet und für die…")
    'German'
    """
    letters = [c for c in text[:50_000] if c.isalpha()]
    if letters:
        latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
        if latin / len(letters) < 0.6:
            return "a non-Latin script"
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text[:50_000].lower()):
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    best = max(counts, key=lambda language: counts[language])
    # Telegraphic English ("Led team of 12; built X") has few function words: another language
    # wins only clearly.
    if best != "English" and counts[best] >= 8 and counts[best] > 2 * counts["English"]:
        return best
    return "English"


def _check_readable(text: str) -> None:
    if _letters(text) < MIN_LETTERS:
        raise ResumeError(
            "too_short",
            "The file holds almost no text, too little to be a "
            f"résumé. Upload the full résumé as {ACCEPTED}.",
        )
    language = language_of(text)
    if language != "English":
        raise ResumeError(
            "not_english",
            f"This résumé seems to be written in {language}. "
            "Leadboard reads English résumés (the postings it matches are in "
            "English): upload an English version.",
        )


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _corrupt(kind: str) -> ResumeError:
    return ResumeError(
        "corrupt",
        f"This {kind} file is damaged or cut off and cannot be read. "
        f"Open it on your computer, save or export it again, and upload the new "
        f"copy ({ACCEPTED}).",
    )

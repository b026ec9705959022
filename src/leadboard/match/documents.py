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
from typing import Any, Literal

from leadboard.normalize.html import clean_plain_text

MAX_BYTES = 5 * 1024 * 1024
# A DOCX whose text parts unpack to more than this, or that is packed more tightly than any
# document is, is a zip bomb rather than a résumé. Counted on the bytes that really come out of
# the inflater, read a piece at a time: the sizes a zip declares are the attacker's to choose.
MAX_UNPACKED = 8 * 1024 * 1024
MAX_RATIO = 150
MAX_MEMBERS = 1000  # a résumé's DOCX has a few dozen parts
_PIECE = 64 * 1024  # what one read of a zip member may inflate to
# Characters of text read from a résumé (about 30 dense pages): past this it is not a résumé,
# and every later step is linear in what is kept, so this bounds the whole request's work.
MAX_TEXT = 100_000
MAX_PAGES = 30  # a résumé is a few pages; a 500-page PDF is not one, and costs seconds to read
# pypdf reads a page's drawing instructions at ~1.5 s of CPU a MB: a résumé's pages hold tens of
# KB, so past 2 MB in all the rest is not read (a request stays within seconds of CPU).
MAX_PDF_CONTENT = 2 * 1024 * 1024
MAX_PDF_STREAM = 8 * 1024 * 1024  # one stream inflated past this is refused (pypdf's cap is 75 MB)
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
    "too_slow",
    "gone",
]


class ResumeError(ValueError):
    """A résumé that cannot be read; ``str()`` is the message for the person who uploaded it.

    ``problem`` names what went wrong, for programs (the API answers it as ``problem``).
    """

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message

    def __reduce__(self) -> tuple[type[ResumeError], tuple[Problem, str]]:
        # Résumés are read in a worker process: the error comes back whole, pickled.
        return (ResumeError, (self.problem, self.message))


def too_large() -> ResumeError:
    """The error for a file over :data:`MAX_BYTES` (upload readers raise it while reading)."""
    return ResumeError(
        "too_large",
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. A résumé rarely is: export it "
        "again without embedded images (or as plain text) and upload that.",
    )


def resume_text(data: bytes, filename: str = "") -> str:
    """The text of a résumé file, lines kept, whitespace tidied; at most :data:`MAX_TEXT`
    characters of it are read.

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
    text = clean_plain_text(text[:MAX_TEXT])
    _check_readable(text)
    return text


# --- PDF -----------------------------------------------------------------------------------------


def _content_size(page: Any) -> int:
    """The inflated size of a PDF page's content streams (inflating is fast; parsing is not)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    encrypted = ResumeError(
        "encrypted",
        "This PDF is protected by a password, so it cannot be "
        "read. Save a copy without the password (e.g. print it to a new "
        "PDF) and upload that.",
    )
    try:
        with apply_configuration(zlib_maximum_output_length=MAX_PDF_STREAM):
            reader = PdfReader(io.BytesIO(data))
            # Many PDFs are "encrypted" only to restrict printing, with an empty password.
            if reader.is_encrypted and not reader.decrypt(""):
                raise encrypted
            text = _first_pages_text(reader)
    except ResumeError:
        raise
    except (FileNotDecryptedError, DependencyError) as error:
        raise encrypted from error
    except LimitReachedError as error:
        raise _too_complex() from error
    except Exception as error:
        raise _corrupt("PDF") from error
    if _letters(text) < MIN_LETTERS:
        raise ResumeError(
            "scanned",
            "This PDF has no text to read: it looks scanned (pages of "
            "images). Leadboard does not read images; export the résumé from the "
            "program that wrote it (Word, Google Docs…) as PDF or DOCX and upload "
            "that.",
        )
    return text


def _too_complex() -> ResumeError:
    return ResumeError(
        "too_large",
        "The first page of this PDF holds more than "
        f"{MAX_PDF_CONTENT // (1024 * 1024)} MB of drawing instructions, far more than a "
        "résumé's. Export it again from the program that wrote it (or upload a DOCX or text "
        "file).",
    )


def _first_pages_text(reader: Any) -> str:
    """The text of the first pages, within :data:`MAX_PAGES`, :data:`MAX_TEXT` and
    :data:`MAX_PDF_CONTENT` (what the pages' drawing instructions may add up to)."""
    pages: list[str] = []
    length = content = 0
    for page in reader.pages[:MAX_PAGES]:
        content += _content_size(page)
        if content > MAX_PDF_CONTENT:
            if not pages:
                raise _too_complex()
            break  # the pages read are enough to match on
        pages.append(page.extract_text() or "")
        length += len(pages[-1])
        if length >= MAX_TEXT:
            break
    return "\n".join(pages)


# --- DOCX ----------------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _corrupt("Word") from error
    names = {member.filename for member in members}
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
    if len(members) > MAX_MEMBERS:
        raise _zip_bomb()
    from docx import Document
    from docx.table import Table, _Cell

    try:
        document = Document(_text_parts(archive, members))
        lines: list[str] = []
        length = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):  # résumés lay out dates and titles in tables
                for row in block.rows:
                    # The row's own cells, read once each: ``row.cells`` repeats a cell per grid
                    # column it spans and walks up vertical merges, as often as a file says.
                    cells = [_Cell(tc, block).text.strip() for tc in row._tr.tc_lst]
                    lines.append(" | ".join(dict.fromkeys(c for c in cells if c)))
                    length += len(lines[-1])
            else:
                lines.append(block.text)
                length += len(lines[-1])
            if length >= MAX_TEXT:
                break
    except ResumeError:
        raise
    except Exception as error:
        raise _corrupt("Word") from error
    return "\n".join(lines)


def _text_parts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> io.BytesIO:
    """A new, uncompressed DOCX holding the archive's XML parts, each inflated a piece at a time
    and counted (:data:`MAX_UNPACKED` in all); the other parts (images, fonts) come empty, as
    text never lives in them. python-docx reads this copy, never the original's members: a
    whole-member read inflates everything the member holds before it looks at its size."""
    copy = io.BytesIO()
    unpacked, packed = 0, 1
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for member in members:
            if member.is_dir():
                continue
            data = bytearray()
            if member.filename.lower().endswith((".xml", ".rels")):
                packed += member.compress_size
                # The declared size is the sender's to choose: read to the stream's real end,
                # counting, and stop at our own cap instead.
                member.file_size = MAX_UNPACKED + 1
                try:
                    with archive.open(member) as stream:
                        while piece := stream.read(_PIECE):
                            unpacked += len(piece)
                            if unpacked > MAX_UNPACKED:
                                raise _zip_bomb()
                            data += piece
                except ResumeError:
                    raise
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
                    raise _corrupt("Word") from error
            out.writestr(member.filename, bytes(data))
    if unpacked > 1024 * 1024 and unpacked / packed > MAX_RATIO:
        raise _zip_bomb()
    copy.seek(0)
    return copy


def _zip_bomb() -> ResumeError:
    return ResumeError(
        "zip_bomb",
        "This file unpacks to far more than any document (it looks like a zip bomb), so it "
        "was not opened. Upload the résumé itself as PDF or DOCX.",
    )


# --- Text and Markdown ---------------------------------------------------------------------------

# Each pattern looks a bounded way ahead of where it starts, within a line: an unclosed "[" or
# "**" repeated through a long text would otherwise each scan to its end (quadratic).
_MARKDOWN = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),  # headings
    (re.compile(r"\[([^\]\n]{0,300})\]\([^)\s]{0,2000}\)"), r"\1"),  # links: keep the words
    (re.compile(r"(\*\*|__)([^\n]{1,300}?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]{1,300}?)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$", re.MULTILINE), ""),  # rules
    (re.compile(r"`([^`\n]{0,300})`"), r"\1"),
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
    text = text[:MAX_TEXT]
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

"""What the CLI prints from outside text cannot drive the terminal: control characters come out
escaped (a CSV header with ESC sequences once cleared the screen and retitled the window)."""

from typer.testing import CliRunner

from leadboard.cli import app


def test_a_csv_header_with_terminal_escapes_is_printed_escaped(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    dump = tmp_path / "hostile.csv"
    dump.write_text("na\x1b]0;owned\x07me,\x1b[2Jcol,\x9b31m\n1,2,3\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["import", str(dump), "--no-enrich"])

    said = result.output
    assert "CSV header is not a posting dump" in said
    assert "\x1b" not in said and "\x07" not in said and "\x9b" not in said
    assert r"na\x1b]0;owned\x07me" in said and r"\x1b[2Jcol" in said and r"\x9b31m" in said

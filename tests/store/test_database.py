"""Where the store lives when nothing is configured, and when a URL is."""

from leadboard.store.database import database_url, leadboard_home
from leadboard.store.repository import Store


def test_default_store_is_a_sqlite_file_in_leadboard_home(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "lb"))
    monkeypatch.delenv("LEADBOARD_DATABASE_URL", raising=False)
    assert leadboard_home() == tmp_path / "lb"
    assert database_url() == f"sqlite:///{tmp_path / 'lb' / 'leadboard.db'}"
    store = Store.open()
    assert store.stats()["jobs"] == 0
    store.close()
    assert (tmp_path / "lb" / "leadboard.db").is_file()


def test_database_url_setting_wins(monkeypatch):
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    assert database_url() == "postgresql+psycopg://u@127.0.0.1/x"

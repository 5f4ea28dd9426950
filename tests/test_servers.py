"""The server fixtures skip locally but fail in CI when a server cannot run."""

import pytest

from tests.servers import PostgresServer, find_binary, unavailable


def test_missing_server_skips_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        unavailable("no server")


def test_missing_server_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no server"):
        unavailable("no server")


def test_find_binary_searches_the_given_folders(tmp_path):
    tool = tmp_path / "tool-not-on-path"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    assert find_binary("tool-not-on-path", (str(tmp_path),)) == str(tool)
    assert find_binary("tool-not-on-path") is None


@pytest.mark.postgres
def test_postgres_server_stops_and_starts_again(postgres_server: PostgresServer):
    import psycopg

    postgres_server.stop()
    assert not postgres_server.running
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=postgres_server.host, port=postgres_server.port, user="postgres", connect_timeout=2
        )
    postgres_server.ensure_running()
    with psycopg.connect(host=postgres_server.host, port=postgres_server.port, user="postgres") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)

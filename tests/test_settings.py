"""Settings: production checks are clean, and DATABASE_URL is understood."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import database_from_url

ROOT = Path(__file__).resolve().parent.parent


def check_deploy(env):
    """Run `manage.py check --deploy` as production would, failing on warnings."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-" + "x7Q!k2#pZ9" * 4,
        "DJANGO_ALLOWED_HOSTS": "duban.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
    }
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_missing_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env |= {
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "x.example",
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
    }
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_postgres_url_is_parsed():
    db = database_from_url("postgresql://duban:s%40cret@db.internal:5433/duban?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "duban",
        "duban",
        "s@cret",
        "db.internal",
        "5433",
    )
    assert db["OPTIONS"]["sslmode"] == "require"


def test_postgres_prepares_statements_unless_turned_off(monkeypatch):
    db = database_from_url("postgresql://duban@db/duban")
    assert db["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DJANGO_PG_PREPARE_THRESHOLD", "off")
    assert database_from_url("postgresql://duban@db/duban")["OPTIONS"] == {}


@pytest.mark.django_db
def test_a_query_run_often_is_planned_once_on_postgresql():
    from django.db import connection

    from tracker.models import Department

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL=postgresql://…)")
    for _ in range(6):
        list(Department.objects.filter(name="农业农村局"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "tracker_department"' in sql for sql in prepared)


def test_sqlite_url_uses_wal_and_a_busy_timeout():
    db = database_from_url("sqlite:////var/lib/duban/db.sqlite3")
    assert str(db["NAME"]) == "/var/lib/duban/db.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0


def test_both_databases_keep_a_workers_connection_between_requests():
    for url in ("sqlite:////var/lib/duban/db.sqlite3", "postgresql://duban@db/duban"):
        assert database_from_url(url)["CONN_MAX_AGE"] > 0


def test_unknown_database_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/duban")


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_pages_speak_chinese_whatever_language_the_browser_asks_for(client):
    response = client.post("/accounts/login/", {}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "这个字段是必填项。" in response.content.decode()  # Django's own message, translated
    assert "Accept-Language" not in response.get("Vary", "")


def settings_in(env_extra: dict) -> dict:
    """Import the settings in a fresh interpreter with these variables; return the mail settings."""
    code = (
        "import json; from config import settings as s; "
        "print(json.dumps({'mailers': s.MAILERS, 'notices': s.DUBAN_MAIL_NOTICES, "
        "'sender': s.DEFAULT_FROM_EMAIL}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_EMAIL", "DJANGO_MAIL"))}
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        cwd=ROOT,
        env=env | env_extra,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_mail_server_no_notice_is_mailed():
    assert settings_in({})["notices"] is False


def test_a_mail_server_in_the_environment_turns_notices_on():
    found = settings_in(
        {
            "DJANGO_EMAIL_HOST": "mail.example.gov.cn",
            "DJANGO_EMAIL_PORT": "465",
            "DJANGO_EMAIL_SSL": "1",
            "DJANGO_EMAIL_USER": "duban",
            "DJANGO_EMAIL_FROM": "督查室 <duban@example.gov.cn>",
        }
    )
    assert found["notices"] is True
    default = found["mailers"]["default"]
    assert default["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert default["OPTIONS"] | {"password": None} == {
        "host": "mail.example.gov.cn",
        "port": 465,
        "username": "duban",
        "password": None,
        "use_tls": False,
        "use_ssl": True,
        "timeout": 10,
    }
    assert found["sender"] == "督查室 <duban@example.gov.cn>"


def test_notices_can_stay_off_with_a_mail_server_set():
    assert (
        settings_in({"DJANGO_EMAIL_HOST": "mail.example.gov.cn", "DJANGO_MAIL_NOTICES": "0"})["notices"]
        is False
    )

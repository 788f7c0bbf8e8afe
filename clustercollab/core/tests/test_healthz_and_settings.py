import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def _clean_environment(**env: str) -> dict[str, str]:
    # The browser tests' conftest allows async-unsafe ORM calls in this process; a deployed
    # process never has that, and `check --deploy` rightly refuses it.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**environment, "DJANGO_SETTINGS_MODULE": "clustercollab.settings", **env}


def _run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    # Port 9 (discard) on loopback has no PostgreSQL: the connection is refused at once.
    result = _run_django(
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client(HTTP_HOST='localhost').get('/healthz').status_code)",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nothing",
        CLUSTERCOLLAB_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_environment(
            HTTPS="true",
            DEBUG="false",
            ALLOWED_HOSTS="example.org",
            SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
            CLUSTERCOLLAB_DATA_DIR=str(tmp_path),
        ),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_secret_key_is_generated_once_into_the_data_directory(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"CLUSTERCOLLAB_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    first = _run_django(code, **env).stdout.strip()
    second = _run_django(code, **env).stdout.strip()
    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").read_text().strip() == first

"""A bad or missing setting stops start-up with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gemeinsinn.env import SettingError, env_bool, env_int, env_list, env_str, env_url


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `gemeinsinn check` in a fresh interpreter with exactly these variables."""
    # Production unless a test says otherwise (the checkout may carry the dev marker file).
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "GEMEINSINN_DEV": "0",
    }
    return subprocess.run(
        [sys.executable, "-m", "gemeinsinn", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start_and_names_the_variable() -> None:
    result = _start({"GEMEINSINN_ALLOWED_HOSTS": "engagement.example.de"})
    assert result.returncode == 2
    assert "GEMEINSINN_SECRET_KEY" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start() -> None:
    result = _start({"GEMEINSINN_SECRET_KEY": "short", "GEMEINSINN_ALLOWED_HOSTS": "x.example.de"})
    assert result.returncode == 2
    assert "at least 32 characters" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start() -> None:
    result = _start({"GEMEINSINN_SECRET_KEY": "k" * 50})
    assert result.returncode == 2
    assert "GEMEINSINN_ALLOWED_HOSTS" in result.stderr


def test_a_malformed_database_url_names_the_variable() -> None:
    result = _start({"GEMEINSINN_DEV": "1", "DATABASE_URL": "mysql://db/x"})
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_a_malformed_boolean_names_the_variable() -> None:
    result = _start({"GEMEINSINN_DEV": "perhaps"})
    assert result.returncode == 2
    assert "GEMEINSINN_DEV" in result.stderr


def test_a_complete_production_configuration_starts(tmp_path: object) -> None:
    result = _start(
        {
            "GEMEINSINN_SECRET_KEY": "k" * 50,
            "GEMEINSINN_ALLOWED_HOSTS": "engagement.example.de",
            "GEMEINSINN_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_secure(tmp_path: object) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.X_FRAME_OPTIONS, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        "PATH": os.environ["PATH"],
        "GEMEINSINN_DEV": "0",
        "DJANGO_SETTINGS_MODULE": "gemeinsinn.settings",
        "GEMEINSINN_SECRET_KEY": "k" * 50,
        "GEMEINSINN_ALLOWED_HOSTS": "engagement.example.de",
        "GEMEINSINN_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["False", "True", "True", "True", "DENY", "True"], result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("Off", False), ("", False)]
)
def test_booleans_accept_the_usual_spellings(raw: str, expected: bool) -> None:
    assert env_bool("X", not expected, environ={"X": raw}) is expected


def test_a_missing_required_string_is_an_error() -> None:
    with pytest.raises(SettingError, match="NEEDED"):
        env_str("NEEDED", environ={})


def test_integers_are_checked_for_bounds() -> None:
    assert env_int("P", 25, environ={"P": "587"}, minimum=1, maximum=65535) == 587
    with pytest.raises(SettingError, match="P must be at most 65535"):
        env_int("P", 25, environ={"P": "70000"}, minimum=1, maximum=65535)
    with pytest.raises(SettingError, match="whole number"):
        env_int("P", 25, environ={"P": "twenty"})


def test_lists_drop_blanks() -> None:
    assert env_list("H", [], environ={"H": "a.de, ,b.de"}) == ["a.de", "b.de"]


def test_urls_must_use_an_allowed_scheme() -> None:
    assert env_url("U", None, schemes=("https",), environ={"U": "https://x"}) == "https://x"
    with pytest.raises(SettingError, match="U must start with one of https"):
        env_url("U", None, schemes=("https",), environ={"U": "ftp://x"})


def test_a_hardened_production_configuration_passes_the_deployment_checks(tmp_path: object) -> None:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "GEMEINSINN_DEV": "0",
    }
    env = {
        **base,
        "GEMEINSINN_SECRET_KEY": "Zq8#vT2!mK9pL4@xW7nB3$cR6^hJ1&dF5*gY0(sA)eU-iO=uP+",
        "GEMEINSINN_ALLOWED_HOSTS": "engagement.example.de",
        "GEMEINSINN_DATA_DIR": str(tmp_path),
        "GEMEINSINN_HSTS_INCLUDE_SUBDOMAINS": "true",
        "GEMEINSINN_HSTS_PRELOAD": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gemeinsinn", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_developer_checkout_marker_switches_on_development_mode_unless_the_variable_says_no(
    tmp_path: Any,
) -> None:
    code = "from django.conf import settings as s; print(s.DEV)"
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "gemeinsinn.settings",
        "GEMEINSINN_DATA_DIR": str(tmp_path),
    }
    marker = Path(__file__).resolve().parents[3] / ".gemeinsinn-dev"
    existed = marker.exists()
    marker.touch()
    try:
        with_marker = subprocess.run(
            [sys.executable, "-c", code],
            env=base,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        forced_off = subprocess.run(
            [sys.executable, "-c", code],
            env={
                **base,
                "GEMEINSINN_DEV": "0",
                "GEMEINSINN_SECRET_KEY": "k" * 50,
                "GEMEINSINN_ALLOWED_HOSTS": "x.de",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        if not existed:
            marker.unlink()
    assert with_marker.stdout.strip() == "True", with_marker.stderr
    assert forced_off.stdout.strip() == "False", forced_off.stderr

"""Settings: read once and cached, re-read when the environment changes, every bad value named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hsa.settings import Settings, SettingsError, get_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No HSA_* from the caller's shell: each test states exactly what it sets."""
    for name in list(os.environ):
        if name.upper().startswith("HSA_") or name.upper() == "REFLEX_REDIS_URL":
            monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("HSA_DATA_DIR", str(data))
    return data


BAD = [  # variable, value, the message people see
    ("HSA_ETA_SPEED_KMH", "500", "HSA_ETA_SPEED_KMH must be between 5 and 120, got '500'"),
    ("HSA_PUBLIC_URL", "homeserve.example.in", "HSA_PUBLIC_URL must be the http(s) address people open"),
    ("HSA_ETA_SPEED_KMH", "fast", "HSA_ETA_SPEED_KMH must be a number, got 'fast'"),
    ("HSA_ETA_DETOUR_FACTOR", "nan", "HSA_ETA_DETOUR_FACTOR must be between 1 and 3, got 'nan'"),
    ("HSA_SESSION_IDLE_MINUTES", "abc", "HSA_SESSION_IDLE_MINUTES must be a whole number, got 'abc'"),
    ("HSA_SESSION_MAX_HOURS", "0", "HSA_SESSION_MAX_HOURS must be at least 1, got '0'"),
    ("HSA_EARLY_START_HOURS", "soon", "HSA_EARLY_START_HOURS must be a whole number, got 'soon'"),
    ("HSA_BCRYPT_ROUNDS", "twelve", "HSA_BCRYPT_ROUNDS must be a whole number, got 'twelve'"),
    ("HSA_BCRYPT_ROUNDS", "40", "HSA_BCRYPT_ROUNDS must be at most 31, got '40'"),
    ("HSA_BCRYPT_WORKERS", "0", "HSA_BCRYPT_WORKERS must be between 1 and 64, got '0'"),
    ("HSA_MAX_TABS_PER_IP", "-1", "HSA_MAX_TABS_PER_IP must be between 1 and 100000, got '-1'"),
    ("HSA_ANONYMOUS_TAB_MINUTES", "2000", "HSA_ANONYMOUS_TAB_MINUTES must be between 1 and 1440, got '2000'"),
    ("HSA_SMTP_PORT", "99999", "HSA_SMTP_PORT must be a TCP port (1-65535), got '99999'"),
    ("HSA_SMTP_STARTTLS", "maybe", "HSA_SMTP_STARTTLS must be true or false, got 'maybe'"),
    ("HSA_MAP_TILE_URL", "ftp://t/{z}/{x}/{y}.png", "HSA_MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}"),
    ("HSA_TRUSTED_PROXIES", "10.0.0.0/8,proxy", "HSA_TRUSTED_PROXIES must list IP addresses or networks, got 'proxy'"),
    ("HSA_LOGIN_IP_LIMIT", "lots", "HSA_LOGIN_IP_LIMIT must be rates like '30/minute;300/hour', got 'lots'"),
    ("HSA_SIGNUP_IP_LIMIT", "5 per", "HSA_SIGNUP_IP_LIMIT must be rates like '30/minute;300/hour', got '5 per'"),
    ("HSA_LOG_FORMAT", "xml", "HSA_LOG_FORMAT must be one of json, console, got 'xml'"),
    ("HSA_LOG_LEVEL", "LOUD", "HSA_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, got 'LOUD'"),
    ("HSA_GSTIN", "29ABCDE1234F1Z", "HSA_GSTIN must be a 15-character GSTIN like 29ABCDE1234F1Z5, got "
                                    "'29ABCDE1234F1Z'"),
    ("HSA_GSTIN", "29ABCDE1234F0Z5", "HSA_GSTIN must be a 15-character GSTIN"),  # entity number 0
    ("HSA_GSTIN", "29ABCDE1234F1Y5", "HSA_GSTIN must be a 15-character GSTIN"),  # the 14th is always Z
    ("HSA_GSTIN", "2AABCDE1234F1Z5", "HSA_GSTIN must be a 15-character GSTIN"),  # a two-digit state code
]


@pytest.mark.parametrize(("name", "value", "message"), BAD, ids=[f"{n}={v}" for n, v, _ in BAD])
def test_each_bad_value_is_refused_in_words_that_name_its_variable(monkeypatch: pytest.MonkeyPatch, name: str,
                                                                   value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as exc:
        get_settings()
    text = str(exc.value)
    assert message in text
    assert "pydantic" not in text and "validation error" not in text.lower()  # no library wall
    assert isinstance(exc.value, ValueError)  # callers that catch ValueError keep working


def test_every_bad_value_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """An operator fixes the whole file in one go instead of one variable per restart."""
    monkeypatch.setenv("HSA_ETA_SPEED_KMH", "500")
    monkeypatch.setenv("HSA_LOG_LEVEL", "LOUD")
    monkeypatch.setenv("HSA_SMTP_PORT", "x")
    with pytest.raises(SettingsError) as exc:
        get_settings()
    lines = str(exc.value).splitlines()
    assert sorted(line.split()[0] for line in lines) == ["HSA_ETA_SPEED_KMH", "HSA_LOG_LEVEL", "HSA_SMTP_PORT"]


def test_defaults_and_derived_values(_clean_env: Path) -> None:
    s = get_settings()
    assert isinstance(s, Settings)
    assert s.data_dir == _clean_env and s.database_url == f"sqlite:///{_clean_env / 'hsa.db'}"
    assert s.public_url == "http://localhost:3000"
    assert s.allowed_origins == ("http://localhost:3000", "http://127.0.0.1:3000")
    assert (s.session_idle_minutes, s.session_max_hours, s.bcrypt_rounds, s.early_start_hours) == (720, 168, 12, 2)
    assert (s.eta_detour_factor, s.eta_speed_kmh) == (1.3, 25.0)
    assert s.mail_from == "HomeServe <no-reply@localhost>" and (s.smtp_host, s.smtp_port, s.smtp_starttls) == (
        "", 587, True)
    assert (s.redis_url, s.trusted_proxies, s.metrics_token) == ("", (), "")
    assert (s.login_ip_limit, s.signup_ip_limit) == ("30/minute;300/hour", "10/minute;60/hour")
    assert (s.bcrypt_workers, s.max_tabs_per_ip, s.anonymous_tab_minutes) == (1, 60, 10)
    assert (s.log_format, s.log_level) == ("json", "INFO")
    assert len(s.secret_key) >= 48 and (_clean_env / "secret.key").read_text().strip() == s.secret_key


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "HSA_PUBLIC_URL": "https://homeserve.example.in/",
        "HSA_ALLOWED_ORIGINS": " https://a.example/, https://b.example ",
        "HSA_BCRYPT_ROUNDS": "4", "HSA_ETA_SPEED_KMH": " 30 ", "HSA_SMTP_STARTTLS": "off", "HSA_SMTP_PORT": "465",
        "HSA_TRUSTED_PROXIES": "127.0.0.1, 10.1.2.3/8", "REFLEX_REDIS_URL": " redis://cache:6379/0 ",
        "HSA_LOG_LEVEL": "debug", "HSA_LOG_FORMAT": "Console", "HSA_SECRET_KEY": "from-the-env",
        "HSA_SMTP_PASSWORD": " spaces kept ", "HSA_BCRYPT_WORKERS": "3", "HSA_MAP_ATTRIBUTION": "  ",
    }.items():
        monkeypatch.setenv(name, value)
    s = get_settings()
    assert s.public_url == "https://homeserve.example.in"
    assert s.allowed_origins == ("https://a.example", "https://b.example")
    assert s.bcrypt_rounds == 12  # below 12 is raised to 12, as documented
    assert s.eta_speed_kmh == 30.0 and s.smtp_starttls is False and s.smtp_port == 465
    assert s.trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8") and s.redis_url == "redis://cache:6379/0"
    assert (s.log_level, s.log_format, s.bcrypt_workers) == ("DEBUG", "console", 3)
    assert s.secret_key == "from-the-env" and s.smtp_password == " spaces kept "
    assert s.mail_from == "HomeServe <no-reply@homeserve.example.in>"
    assert s.map_attribution == "© OpenStreetMap contributors"  # blank means default


def test_the_supplier_on_invoices_defaults_to_an_unregistered_demo_and_takes_a_real_gstin(
        monkeypatch: pytest.MonkeyPatch) -> None:
    s = get_settings()
    assert (s.company_name, s.gstin, s.place_of_supply_state) == ("HomeServe Technologies Pvt Ltd", "", "Karnataka")
    assert "placeholder" in s.company_address  # nobody mistakes the demo's address for a real one
    monkeypatch.setenv("HSA_GSTIN", " 29abcde1234f1z5 ")
    monkeypatch.setenv("HSA_COMPANY_NAME", " Acme Home Services LLP ")
    s = get_settings()
    assert (s.gstin, s.company_name) == ("29ABCDE1234F1Z5", "Acme Home Services LLP")
    monkeypatch.setenv("HSA_GSTIN", "  ")
    assert get_settings().gstin == ""  # blank is unset: "not registered (demo)" on the invoice


def test_read_once_cached_and_the_secret_file_is_not_read_again(_clean_env: Path) -> None:
    first = get_settings()
    assert get_settings() is first  # no second environment parse
    (_clean_env / "secret.key").unlink()
    again = get_settings()
    assert again is first and again.secret_key == first.secret_key
    assert not (_clean_env / "secret.key").exists()  # nothing went to the disk to look for it


def test_a_changed_environment_gives_fresh_settings(_clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    first = get_settings()
    monkeypatch.setenv("HSA_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    monkeypatch.setenv("HSA_ETA_SPEED_KMH", "40")
    second = get_settings()
    assert second is not first
    assert second.database_url == f"sqlite:///{tmp_path / 'other.db'}" and second.eta_speed_kmh == 40.0
    assert second.secret_key == first.secret_key  # same data folder, same stored key
    monkeypatch.delenv("HSA_ETA_SPEED_KMH")
    assert get_settings().eta_speed_kmh == 25.0
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path / "elsewhere"))
    moved = get_settings()
    assert moved.data_dir == tmp_path / "elsewhere" and moved.secret_key != first.secret_key


def test_settings_are_immutable() -> None:
    s = get_settings()
    with pytest.raises((TypeError, ValueError)):
        s.eta_speed_kmh = 99.0  # type: ignore[misc]
    assert get_settings().eta_speed_kmh == 25.0


def _run(code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith("HSA_")}
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=clean | env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_check_command_and_the_app_config_print_the_problem_not_a_traceback(tmp_path: Path) -> None:
    for code in (["-m", "hsa.settings"], ["-c", "import rxconfig"]):
        bad = _run(code, HSA_DATA_DIR=str(tmp_path), HSA_ETA_SPEED_KMH="500")
        assert bad.returncode == 2, bad.stderr
        assert "HSA_ETA_SPEED_KMH must be between 5 and 120, got '500'" in bad.stderr
        assert "Traceback" not in bad.stderr and "pydantic" not in bad.stderr
    ok = _run(["-m", "hsa.settings"], HSA_DATA_DIR=str(tmp_path))
    assert ok.returncode == 0 and "settings are valid" in ok.stdout

"""The TLS context brief makes is httpx's own, its CA file read in a thread before any handshake."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import certifi
import httpx
import pytest

from brief.collect import http
from brief.collect.http import tls_context

HTTPX = f"httpx {httpx.__version__}"


def _settings(context: ssl.SSLContext) -> dict[str, object]:
    """Everything about a client context that decides what it trusts and offers."""
    return {
        "class": ssl.SSLContext in type(context).__mro__,
        "protocol": context.protocol,
        "verify_mode": context.verify_mode,
        "check_hostname": context.check_hostname,
        "verify_flags": context.verify_flags,
        "options": context.options,
        "minimum_version": context.minimum_version,
        "maximum_version": context.maximum_version,
        "post_handshake_auth": context.post_handshake_auth,
        "hostname_checks_common_name": context.hostname_checks_common_name,
        "security_level": context.security_level,
        "keylog_filename": context.keylog_filename,
        "ciphers": [c["name"] for c in context.get_ciphers()],
        "ca_certs": context.get_ca_certs(),
    }


@pytest.fixture
def no_ca_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_ca_env")
def test_the_background_context_is_the_one_httpx_would_make() -> None:
    context = tls_context()
    assert isinstance(context, http._BackgroundCAContext)
    context.wait_for_ca()
    expected = _settings(httpx.create_ssl_context(trust_env=True))
    assert _settings(context) == expected, f"{HTTPX}: create_ssl_context changed"
    assert expected["ca_certs"], "certifi's bundle holds no certificates"


def test_the_key_log_file_is_honoured_as_httpx_honours_it(
    no_ca_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSLKEYLOGFILE", str(tmp_path / "keys.log"))
    context = tls_context()
    context.wait_for_ca()  # type: ignore[attr-defined]
    assert _settings(context) == _settings(httpx.create_ssl_context(trust_env=True))
    assert context.keylog_filename == str(tmp_path / "keys.log")


def test_a_chosen_ca_file_is_read_in_the_background_too(
    no_ca_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # One certificate only: a context that read certifi's bundle instead would differ.
    first = Path(certifi.where()).read_text().split("-----END CERTIFICATE-----")[0]
    (tmp_path / "one.pem").write_text(first + "-----END CERTIFICATE-----\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "one.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))  # httpx prefers the file
    context = tls_context()
    assert isinstance(context, http._BackgroundCAContext)
    context.wait_for_ca()
    assert _settings(context) == _settings(httpx.create_ssl_context(trust_env=True))
    assert len(context.get_ca_certs()) == 1


def test_a_chosen_ca_folder_is_httpx_own_context(
    no_ca_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(Path(certifi.where()).parent))
    context = tls_context()
    assert type(context) is ssl.SSLContext
    assert _settings(context) == _settings(httpx.create_ssl_context(trust_env=True))


def test_a_missing_chosen_ca_file_fails_at_once(
    no_ca_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(OSError):
        tls_context()


@pytest.mark.usefixtures("no_ca_env")
def test_no_handshake_starts_before_the_bundle_is_loaded() -> None:
    context = tls_context()
    tls = context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.org")
    assert tls.server_hostname == "example.org"
    # Returning from wrap_bio means the bundle is in: checked without waiting again.
    assert context.get_ca_certs() == httpx.create_ssl_context(trust_env=True).get_ca_certs()


def test_every_handshake_raises_what_loading_the_bundle_raised(tmp_path: Path) -> None:
    context = http._BackgroundCAContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_in_background(str(tmp_path / "missing.pem"))
    for _ in range(2):
        with pytest.raises(FileNotFoundError):
            context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.org")
    with socket.socket() as sock, pytest.raises(FileNotFoundError):
        context.wrap_socket(sock, server_hostname="example.org")

"""Uploads are recognised by their content, within a size limit; pages seen signed in are
never cached."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.errors import Refused
from referrals.services import document_add

from .auth import sign_in

pytestmark = pytest.mark.django_db


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content"), [
    ("letter.pdf", b"%PDF-1.7 letter"), ("scan.png", b"\x89PNG\r\n\x1a\n...."),
    ("photo.jpg", b"\xff\xd8\xff\xe0...."), ("report.docx", docx()),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
])
def test_allowed_kinds_are_accepted(name, content, draft_case, case_manager):
    document_add(case=draft_case, actor=case_manager, title="Letter", kind="other",
                 file=SimpleUploadedFile(name, content))
    assert draft_case.documents.count() == 1


@pytest.mark.parametrize(("name", "content"), [
    ("letter.pdf", b"<html><script>alert(1)</script>"),  # named PDF, is HTML
    ("evil.html", b"<html></html>"), ("tool.exe", b"MZ\x90\x00"),
    ("fake.docx", b"PK\x03\x04 not a word file"), ("scan.pdf", b"\x89PNG\r\n\x1a\n"),
])
def test_other_content_is_refused_by_field(name, content, draft_case, case_manager):
    with pytest.raises(Refused) as error:
        document_add(case=draft_case, actor=case_manager, title="X", kind="other",
                     file=SimpleUploadedFile(name, content))
    assert "file" in error.value.errors
    assert draft_case.documents.count() == 0


def test_too_large_is_refused(settings, draft_case, case_manager):
    settings.CASEWORK_MAX_UPLOAD_BYTES = 10
    with pytest.raises(Refused) as error:
        document_add(case=draft_case, actor=case_manager, title="X", kind="other",
                     file=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 100))
    assert "at most" in error.value.errors["file"][0]


def test_signed_in_pages_are_not_stored(client, case_manager):
    sign_in(client, case_manager)
    assert client.get("/").get("Cache-Control") == "no-store"
    assert client.get("/clients/").get("Cache-Control") == "no-store"


def test_pages_carry_a_strict_content_security_policy(client, case_manager):
    sign_in(client, case_manager)
    policy = client.get("/").headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in policy
    assert "script-src 'self' 'unsafe-inline'" not in policy


def test_no_template_of_ours_has_an_inline_script():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    for path in root.rglob("*.html"):
        for tag in re.findall(r"<script[^>]*>", path.read_text()):
            assert "src=" in tag, (path, tag)


def test_api_docs_need_no_inline_script(client):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")


@pytest.mark.parametrize("name", ['../../../etc/cron.d/evil.pdf', 'a"; filename=x.html; .pdf',
                                  "<script>alert(1)</script>.pdf", "..\\..\\win.pdf"])
def test_a_hostile_file_name_is_stored_and_served_safely(name, client, draft_case,
                                                        case_manager):
    from django.conf import settings

    document = document_add(case=draft_case, actor=case_manager, title="Letter", kind="other",
                            file=SimpleUploadedFile(name, b"%PDF-1.4 letter"))
    stored = document.file.name
    assert stored.startswith(f"documents/case-{draft_case.pk}/")
    assert ".." not in stored and "<" not in stored and '"' not in stored
    path = (settings.MEDIA_ROOT / stored).resolve()
    assert path.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert "static" not in path.relative_to(settings.MEDIA_ROOT.resolve()).parts

    sign_in(client, case_manager)
    response = client.get(f"/documents/{document.pk}/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition and ".." not in disposition and "<" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_a_name_of_no_plain_letters_keeps_its_kind(draft_case, case_manager):
    """A name of emoji leaves only the extension in plain characters, twice over."""
    stored = [document_add(case=draft_case, actor=case_manager, title="Letter", kind="other",
                           file=SimpleUploadedFile(name, b"%PDF-1.4 letter")).file.name
              for name in ("\U0001F600\U0001F600.pdf", "\U0001F642.pdf")]
    folder = f"documents/case-{draft_case.pk}/document"
    assert all(name.startswith(folder) and name.endswith(".pdf") for name in stored), stored
    assert stored[0] != stored[1]

"""What may be uploaded: PDFs, images and Word documents, recognised by their content (not
only their name), within a size limit. Everything else is refused by field."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cases.errors import Refused

# Signature at the start of the file -> the names a file of that kind may carry.
SIGNATURES = [
    (b"%PDF-", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", {".png"}),
    (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", {".doc"}),
    (b"PK\x03\x04", {".docx"}),
]


def check_upload(upload: UploadedFile) -> None:
    limit = settings.CASEWORK_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise Refused("The file is too large.", errors={"file": [
            f"Files can be at most {limit // (1024 * 1024)} MB."]})
    head = upload.read(16)
    upload.seek(0)
    suffix = PurePath(upload.name or "").suffix.lower()
    for signature, suffixes in SIGNATURES:
        if head.startswith(signature):
            if suffix not in suffixes:
                break
            if suffix == ".docx" and not _is_word(upload):
                break
            return
    raise Refused("This kind of file cannot be uploaded.", errors={"file": [
        "Upload a PDF, a PNG or JPEG image, or a Word document, named for what it is."]})


def _is_word(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)

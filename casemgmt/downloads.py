"""A stored file (a report, a referral document) as a download, for someone the view has
already found may see its case."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePath

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def attachment(record: Model, stored: FieldFile, content_type: str | None = None) -> FileResponse:
    """Under the file's own name, of its type (guessed from the name unless given); always
    an attachment, never cached, never sniffed as another type. A file erased at the
    end of its retention period is not found; so is one the storage no longer holds, which
    was a server error, and is logged for the administrators (by record, never by file name,
    which can name the client): storage must not lose a clinical record."""
    if not stored:
        raise Http404("Not found.")
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        logger.error("The stored file of %s %s is missing from storage.",
                     record._meta.label, record.pk)
        raise Http404("Not found.") from None
    filename = PurePath(stored.name).name
    content_type = (content_type or mimetypes.guess_type(filename)[0]
                    or "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

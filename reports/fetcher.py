"""What a report may load while it renders: the application's own static files and its
organisations' logos, and nothing else. No file: URL, no network, no large data: URL.

Templates refer to assets under APP_ORIGIN, a name that resolves nowhere; this fetcher
maps it to the static files and the storage, and refuses everything else."""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

APP_ORIGIN = "https://casework.invalid/"
MAX_DATA_URL_BYTES = 256 * 1024
MEDIA_PREFIXES = ("logos/",)


class Refused(ValueError):
    pass


class AppOnlyFetcher(URLFetcher):
    """Serves APP_ORIGIN/static/... and APP_ORIGIN/media/logos/...; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=["https", "data"], allow_redirects=False)
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            body, mime = self._resolve(url)
        except Refused:
            self.refused.append(url)
            logger.warning("Report rendering refused to fetch a resource (%s scheme)",
                           urlsplit(url).scheme or "no")
            raise
        self.fetched.append(url)
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _resolve(self, url: str) -> tuple[bytes, str]:
        if url.startswith("data:"):
            return _data_url(url)
        if not url.startswith(APP_ORIGIN):
            raise Refused("Only the application's own files may be used in a report.")
        path = PurePosixPath(unquote(urlsplit(url).path).lstrip("/"))
        if ".." in path.parts:
            raise Refused("No parent paths.")
        kind, rest = path.parts[0], "/".join(path.parts[1:])
        if kind == "static":
            found = finders.find(rest)
            if not found:
                raise Refused("No such static file.")
            with open(found, "rb") as handle:
                return handle.read(), mimetypes.guess_type(rest)[0] or "application/octet-stream"
        if kind == "media" and rest.startswith(MEDIA_PREFIXES) and default_storage.exists(rest):
            with default_storage.open(rest, "rb") as handle:
                return handle.read(), mimetypes.guess_type(rest)[0] or "application/octet-stream"
        raise Refused("Not an application file.")


def _data_url(url: str) -> tuple[bytes, str]:
    header, _, payload = url.partition(",")
    if len(payload) > MAX_DATA_URL_BYTES * 4 // 3:
        raise Refused("data: URL too large.")
    mime = header[5:].split(";")[0] or "text/plain"
    if not mime.startswith(("image/", "font/")):
        raise Refused("Only images and fonts may come as data: URLs.")
    data = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
    return data, mime

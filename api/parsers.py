"""The API's JSON parser: DRF's, refusing with a 400 two kinds of body that Python's JSON
reader accepts or trips on, and that the application could neither keep nor answer.

- Text holding half of a UTF-16 pair (a lone surrogate, written as an escape like
  "\\ud800"): it is not text in UTF-8, so PostgreSQL cannot store it and the error message
  that quotes a bad value back cannot be written out. A form's body cannot carry one
  (undecodable bytes arrive as U+FFFD), so JSON is the one door to close.
- Nesting deeper than Python's reader goes: it raises RecursionError, which DRF's parser does
  not turn into a bad request.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

_HALF_PAIR = re.compile("[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        if _holds_half_pair(data):
            raise ParseError("JSON parse error - text holds half of a UTF-16 pair "
                             "(a lone surrogate), which is not text.")
        return data


def _holds_half_pair(data: Any) -> bool:
    """Whether any string in `data`, key or value, holds a lone surrogate. Walked without
    recursion: the body may be as deep as the reader allowed."""
    waiting = [data]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            if _HALF_PAIR.search(item):
                return True
        elif isinstance(item, dict):
            waiting.extend(item.keys())
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return False

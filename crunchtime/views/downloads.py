"""File downloads built from rows: CSV that Excel opens with its accents, written by the one
CSV writer of the exports (services/exchange/csv_cells.py: formulas never run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import Response, request, stream_with_context

from crunchtime.services.exchange.csv_cells import csv_chunks

# `?sep=semicolon` asks for ";" between fields: French Excel opens such files in columns.
SEPARATORS = {"comma": ",", "semicolon": ";"}


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], delimiter: str = ","
) -> Response:
    """A streamed UTF-8 (with BOM) CSV attachment; `rows` may be a lazy iterable."""
    response = Response(
        stream_with_context(csv_chunks(header, rows, delimiter)),
        mimetype="text/csv",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response


def requested_delimiter() -> str:
    """The field separator the download link asks for (`?sep=semicolon`), else a comma."""
    return SEPARATORS.get(request.args.get("sep", "comma"), ",")

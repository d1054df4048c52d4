"""QR codes drawn by the app (segno, inline SVG): no third-party service sees the links."""

from __future__ import annotations

import segno


def qr_svg(text: str, title: str = "") -> str:
    return segno.make(text, error="m").svg_inline(
        scale=8, border=2, light="#fff", dark="#000", omitsize=True, svgclass="qr-code",
        title=title or None)

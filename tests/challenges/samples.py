"""Small files of each kind the sniffer knows (and of the kinds it must refuse)."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\0" * 40 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\0" * 20 + b";"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\0" * 24
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\0" * 32
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\0" * 32
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 60 + b"This program"
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 60
SHEBANG = b"#!/bin/sh\nrm -rf ~\n"
HTML = b"\xef\xbb\xbf  \n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(document.cookie)</script></svg>")
TEXT_WITH_SCRIPT = b"Bonjour\n<script>alert(1)</script>\n"
PLAIN_TEXT = b"Un simple texte, rien d'autre.\n"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'
PPTX = zipped({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"})
DOCX = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"})
PPTM = zipped({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>",
               "ppt/vbaProject.bin": b"\0" * 10})
ODP = zipped({"mimetype": b"application/vnd.oasis.opendocument.presentation",
              "content.xml": b"<office/>"})
PLAIN_ZIP = zipped({"rapport.txt": b"hello", "photo.png": PNG})


def big_pdf(size: int) -> bytes:
    return PDF + b"%" + b"x" * (size - len(PDF) - 1)

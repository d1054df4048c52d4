"""Uploaded files: content sniffing (`sniff`, pure), storage on disk (`storage`), and serving
them back (`serving`). Import from the submodules: `from crunchtime.files.sniff import sniff`."""

from crunchtime.files.sniff import (
    DELIVERABLE_KINDS,
    IMAGE_KINDS,
    KINDS,
    PDF_AND_IMAGES,
    FileKind,
    RefusedFile,
)

__all__ = ["DELIVERABLE_KINDS", "IMAGE_KINDS", "KINDS", "PDF_AND_IMAGES", "FileKind",
           "RefusedFile"]

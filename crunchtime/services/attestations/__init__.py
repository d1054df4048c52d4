"""Attestations of participation: the facts a student's PDF states, the PDF itself (HTML
rendered by WeasyPrint), its public verification, and the batch of the whole edition."""

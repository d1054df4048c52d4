"""How far each project's text is from the nearest other project's: TF-IDF on character
n-grams (robust to French inflections and accents), cosine distance to the nearest
neighbour. A project that says what ten others say scores near 0; a singular one near 1."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from crunchtime.text import fold

NGRAMS = (3, 5)
MIN_CHARACTERS = 20


def nearest_neighbour_distances(texts: Mapping[int, str],
                                references: tuple[str, ...] = ()) -> dict[int, float | None]:
    """Team id → 1 − cosine similarity to the most similar other text (of the same teams,
    or of `references`, e.g. past editions' projects); None for a text too short to
    compare, or when there is nothing to compare it with."""
    usable = {team: fold(text) for team, text in texts.items()
              if len(text.strip()) >= MIN_CHARACTERS}
    distances: dict[int, float | None] = dict.fromkeys(texts)
    others = [fold(text) for text in references if len(text.strip()) >= MIN_CHARACTERS]
    if len(usable) + len(others) < 2:
        return distances
    teams = list(usable)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                 min_df=1)
    matrix = vectorizer.fit_transform([usable[team] for team in teams] + others)
    similarity = (matrix @ matrix.T).toarray()  # rows are L2-normalised: cosine
    np.fill_diagonal(similarity, -np.inf)
    nearest = similarity[: len(teams)].max(axis=1)
    for team, value in zip(teams, nearest, strict=True):
        distances[team] = float(np.clip(1.0 - value, 0.0, 1.0))
    return distances

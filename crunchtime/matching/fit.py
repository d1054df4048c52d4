"""Fit model: how well each student suits each challenge, from texts and skills (0..1).

A scikit-learn pipeline turns a student (interests, skills) or a challenge (text, skills)
into one vector: TF-IDF over character n-grams inside words (French accents and inflections
survive) next to a skills multi-hot block, optionally reduced by TruncatedSVD, L2-normalised.
A challenge's profile blends its own vector with the centroid of the students who ranked
it, so "students like you chose it" counts; fit is the cosine of student and profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, Normalizer, normalize

from crunchtime.matching.inputs import ChallengeInput, FitParameters, StudentInput

AUC_FOLDS = 5
AUC_MAX_STUDENTS = 2000


@dataclass(frozen=True)
class FitResult:
    """`matrix[i, j]`: fit of the i-th student with the j-th challenge, in [0, 1]."""

    matrix: np.ndarray
    auc: float | None


class CharWbCounts(TransformerMixin, BaseEstimator):
    """The counts of scikit-learn's `char_wb` analyzer, computed word by word.

    char_wb n-grams never cross a space, so a text's counts are its word counts times each
    word's n-gram counts: the same matrix, without re-slicing every repeated word.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range

    def fit(self, texts: Sequence[str], y: object = None) -> CharWbCounts:
        words = _word_counter().fit(texts).get_feature_names_out()
        grams = CountVectorizer(analyzer="char_wb", ngram_range=self.ngram_range).fit(words)
        self.vocabulary_ = grams.vocabulary_
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        word_counter = _word_counter()
        per_text = word_counter.fit_transform(texts)
        grams = CountVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, vocabulary=self.vocabulary_
        )
        per_word = grams.transform(word_counter.get_feature_names_out())
        return sp.csr_matrix(per_text @ per_word)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.get), dtype=object)


def _word_counter() -> CountVectorizer:
    return CountVectorizer(lowercase=True, tokenizer=str.split, token_pattern=None)


def _texts(records: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    return [text for text, _ in records]


def _skills(records: Sequence[tuple[str, tuple[str, ...]]]) -> list[tuple[str, ...]]:
    return [skills for _, skills in records]


def _identity(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tokens


def build_vectoriser(
    params: FitParameters, seed: int = 0, text: bool = True, skills: bool = True
) -> Pipeline:
    """The pipeline from (text, skills) records to L2-normalised vectors; a block the
    cohort leaves empty (no text or no skills at all) is left out."""
    text_block = Pipeline([
        ("pick", FunctionTransformer(_texts)),
        ("char_wb", CharWbCounts(params.ngram_range)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
    ])
    skills_block = Pipeline([
        ("pick", FunctionTransformer(_skills)),
        ("multi_hot", CountVectorizer(analyzer=_identity, binary=True)),
        ("norm", Normalizer()),
    ])
    blocks = [("text", text_block)] * text + [("skills", skills_block)] * skills
    weights = {"text": 1.0, "skills": params.skills_weight}
    union = FeatureUnion(blocks, transformer_weights={name: weights[name] for name, _ in blocks})
    steps: list[tuple[str, object]] = [("features", union)]
    if params.svd_components:
        steps.append(("lsa", TruncatedSVD(params.svd_components, random_state=seed)))
    steps.append(("norm", Normalizer()))
    return Pipeline(steps)


def compute_fit(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: FitParameters,
    seed: int = 0,
    measure_auc: bool = True,
) -> FitResult:
    """Fit of every student with every challenge, and how well it predicts their choices."""
    records = [(s.interests, s.skills) for s in students]
    records += [(c.text, c.skills) for c in challenges]
    has_text = any(text.split() for text, _ in records)
    has_skills = any(skills for _, skills in records)
    if not students or not challenges or not (has_text or has_skills):
        return FitResult(np.zeros((len(students), len(challenges))), None)
    vectoriser = build_vectoriser(params, seed, has_text, has_skills)
    vectors = sp.csr_matrix(vectoriser.fit_transform(records), dtype=np.float32)
    student_vectors, challenge_vectors = vectors[: len(students)], vectors[len(students) :]
    choosers = chooser_weights(students, challenges)
    chooser_sums = np.asarray((choosers.T @ student_vectors).todense())
    own = challenge_vectors.toarray()
    profiles = _profiles(own, chooser_sums, params.choosers_weight)
    matrix = np.clip(np.asarray(student_vectors @ profiles.T, dtype=np.float64), 0.0, 1.0)
    auc = None
    if measure_auc:
        auc = _out_of_fold_auc(student_vectors, own, choosers, chooser_sums, params, seed)
    return FitResult(matrix, auc)


def chooser_weights(
    students: Sequence[StudentInput], challenges: Sequence[ChallengeInput]
) -> sp.csr_matrix:
    """Student x challenge matrix: 1 where the student ranked the challenge."""
    column = {c.code: j for j, c in enumerate(challenges)}
    rows, cols = [], []
    for i, student in enumerate(students):
        for code in student.choices:
            if code in column:
                rows.append(i)
                cols.append(column[code])
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(students), len(challenges)))


def _profiles(own: np.ndarray, chooser_sums: np.ndarray, choosers_weight: float) -> np.ndarray:
    """Each challenge's vector blended with its choosers' centroid (dense, L2-normalised)."""
    centroids = normalize(chooser_sums)
    has_choosers = np.abs(chooser_sums).sum(axis=1) > 0
    own_share = np.where(has_choosers, 1.0 - choosers_weight, 1.0).astype(np.float32)
    blended = own_share[:, None] * own + np.float32(choosers_weight) * centroids
    return normalize(blended).astype(np.float32)


def _out_of_fold_auc(
    student_vectors: sp.csr_matrix,
    own: np.ndarray,
    choosers: sp.csr_matrix,
    chooser_sums: np.ndarray,
    params: FitParameters,
    seed: int,
) -> float | None:
    """ROC AUC of fit for "ranked it" over student x challenge pairs, each student scored
    against profiles built without their fold's choices (5 folds, at most 2,000 scored)."""
    rng = np.random.default_rng(seed)
    ranked_any = np.flatnonzero(np.diff(choosers.indptr) > 0)
    scored = rng.permutation(ranked_any)[:AUC_MAX_STUDENTS]
    labels = choosers[scored].toarray() > 0
    if labels.all() or not labels.any():
        return None
    folds = np.arange(len(scored)) % AUC_FOLDS
    scores = np.zeros(labels.shape)
    for fold in range(AUC_FOLDS):
        held = scored[folds == fold]
        held_sums = np.asarray((choosers[held].T @ student_vectors[held]).todense())
        profiles = _profiles(own, chooser_sums - held_sums, params.choosers_weight)
        scores[folds == fold] = np.asarray(student_vectors[held] @ profiles.T)
    return float(roc_auc_score(labels.ravel(), scores.ravel()))

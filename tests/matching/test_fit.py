"""Fit model: French-friendly character n-grams, skills, choosers' profiles, AUC."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from crunchtime.matching import FitParameters
from crunchtime.matching.fit import CharWbCounts, build_vectoriser, compute_fit
from tests.matching.helpers import challenge, cohort_inputs, student

TEXTS = ["L'hydrogène   vert et l'énergie!", "Élise préfère la mobilité douce", "a bb ccc"]


def test_word_by_word_counts_equal_scikit_learn_char_wb():
    ours = CharWbCounts((2, 4)).fit(TEXTS)
    reference = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(TEXTS)
    assert ours.vocabulary_.keys() == reference.vocabulary_.keys()
    order = [ours.vocabulary_[g] for g in reference.get_feature_names_out()]
    ours_matrix = ours.transform(TEXTS).toarray()[:, order]
    assert np.array_equal(ours_matrix, reference.transform(TEXTS).toarray())


def test_accents_are_kept_in_the_features():
    grams = CharWbCounts((3, 3)).fit(["énergétique hydrogène"]).vocabulary_
    assert " én" in grams and "gèn" in grams


def test_inflected_french_words_are_close_and_unrelated_ones_are_not():
    vectors = build_vectoriser(FitParameters(), skills=False).fit_transform(
        [("énergies renouvelables", ()), ("énergie renouvelable", ()), ("vélo urbain", ())])
    similarity = (vectors @ vectors.T).toarray()
    assert similarity[0, 1] > 0.5 > similarity[0, 2] + 0.3


def test_fit_is_a_student_by_challenge_matrix_between_zero_and_one():
    students, challenges = cohort_inputs(120)
    result = compute_fit(students, challenges, FitParameters())
    assert result.matrix.shape == (120, len(challenges))
    assert result.matrix.min() >= 0.0 and result.matrix.max() <= 1.0


def test_fit_predicts_the_challenges_students_ranked_out_of_fold():
    students, challenges = cohort_inputs(1000, seed=3)
    assert compute_fit(students, challenges, FitParameters()).auc > 0.8


def test_text_alone_still_beats_chance():
    students, challenges = cohort_inputs(600, seed=3)
    auc = compute_fit(students, challenges, FitParameters(choosers_weight=0.0)).auc
    assert auc > 0.55


def test_choosers_pull_a_challenge_profile_towards_their_interests():
    fans = [student(i, choices=("C1",), interests="vélo cyclisme mobilité") for i in range(4)]
    newcomer = student(9, interests="vélo et cyclisme")
    challenges = [challenge("C1", text="Réduire la consommation"), challenge("C2", text="Autre")]
    alone = compute_fit([newcomer], challenges, FitParameters(choosers_weight=0.0)).matrix
    blended = compute_fit([*fans, newcomer], challenges, FitParameters()).matrix[-1]
    assert blended[0] > alone[0, 0]


def test_a_challenge_nobody_ranked_keeps_its_own_text_profile():
    people = [student(i, choices=("C1",), interests="santé hôpital") for i in range(3)]
    people.append(student(3, interests="hydrogène électrolyseur"))
    challenges = [challenge("C1", text="santé à l'hôpital"),
                  challenge("C2", text="hydrogène et électrolyseur")]
    with_choosers = compute_fit(people, challenges, FitParameters()).matrix
    text_only = compute_fit(people, challenges, FitParameters(choosers_weight=0.0)).matrix
    assert np.allclose(with_choosers[:, 1], text_only[:, 1], atol=1e-6)
    assert with_choosers[3, 1] > with_choosers[3, 0]


def test_optional_svd_gives_the_same_shape():
    students, challenges = cohort_inputs(150)
    result = compute_fit(students, challenges, FitParameters(svd_components=20))
    assert result.matrix.shape == (150, len(challenges))


def test_fit_is_deterministic():
    students, challenges = cohort_inputs(200)
    first = compute_fit(students, challenges, FitParameters(), seed=4)
    second = compute_fit(students, challenges, FitParameters(), seed=4)
    assert np.array_equal(first.matrix, second.matrix) and first.auc == second.auc

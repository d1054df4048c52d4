"""Originality: TF-IDF on character n-grams, distance to the nearest other project."""

from __future__ import annotations

from crunchtime.incubation.originality import nearest_neighbour_distances

COMMON = "Une application de covoiturage pour les salariés des zones industrielles du territoire"


def test_a_near_copy_is_close_and_a_singular_project_is_far():
    distances = nearest_neighbour_distances({
        1: COMMON,
        2: COMMON.replace("salariés", "salariées") + " !",
        3: "Biomimétisme : des nichoirs imprimés en 3D qui régulent la chaleur des toitures",
    })
    assert distances[1] < 0.2 and distances[2] < 0.2
    assert distances[3] > 0.6


def test_accents_and_case_do_not_make_a_project_original():
    distances = nearest_neighbour_distances({
        1: "Énergie thermique récupérée à l'usine",
        2: "ENERGIE THERMIQUE RECUPEREE A L'USINE",
        3: "Un jeu sérieux pour apprendre le tri des déchets à l'école primaire",
    })
    assert distances[1] < 0.05


def test_texts_too_short_or_alone_are_not_compared():
    assert nearest_neighbour_distances({1: "Trop court", 2: COMMON}) == {1: None, 2: None}
    assert nearest_neighbour_distances({1: COMMON}) == {1: None}


def test_past_projects_count_as_neighbours():
    texts = {1: COMMON, 2: "Un tout autre sujet : la santé des seniors à domicile"}
    alone = nearest_neighbour_distances(texts)
    with_past = nearest_neighbour_distances(texts, references=(COMMON,))
    assert with_past[1] < 0.05 < alone[1]

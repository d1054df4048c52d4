"""The pure parser of the import files: encodings, separators, headers, every row problem."""

from __future__ import annotations

import pytest

from crunchtime.imports import STUDENT_COLUMNS, parse_challenges, parse_students
from tests.exchange.samples import challenge, challenges_csv, codes, student, students_csv

APPROVED = {"C001": "approved", "C002": "approved", "C003": "approved", "C004": "approved",
            "C005": "approved", "C006": "approved", "C009": "submitted"}


def test_a_clean_file_gives_one_row_per_student_with_lists_split():
    data = students_csv(
        student(email="Camille.Martin@ETU.utbm.fr", skills=" Python ; UX;;python",
                choices="c001; C002;C003", group="g12"),
        student(email="hugo@etu.utbm.fr", year="1", skills="", choices=""),
    )
    parsed = parse_students(data, APPROVED)
    assert parsed.problems == []
    first, second = parsed.rows
    assert first.line == 2 and second.line == 3
    assert first.email == "camille.martin@etu.utbm.fr"
    assert first.skills == ("Python", "UX")
    assert first.choices == ("C001", "C002", "C003")
    assert first.group == "G12"
    assert first.interests == "Santé, numérique"
    assert (second.year, second.skills, second.choices, second.group) == (1, (), (), None)


def test_utf8_bom_and_semicolons_from_french_excel_are_accepted():
    data = students_csv(student(choices="C001;C002;C003"), student(), delimiter=";", bom=True)
    parsed = parse_students(data, APPROVED)
    assert parsed.problems == []
    assert parsed.delimiter == ";"
    assert parsed.rows[0].choices == ("C001", "C002", "C003")
    assert parsed.rows[0].email.startswith("etudiant")


def test_choices_may_also_be_separated_by_commas_or_spaces():
    parsed = parse_students(students_csv(student(choices="C001, C002 C003")), APPROVED)
    assert parsed.rows[0].choices == ("C001", "C002", "C003")


def test_a_latin1_file_is_refused_naming_the_line_and_the_byte():
    data = students_csv(student(interests="IA"), student(first_name="Éloïse"),
                        encoding="latin-1")
    parsed = parse_students(data, APPROVED)
    [problem] = parsed.problems
    assert (problem.line, problem.code) == (3, "not_utf8")
    assert problem.params["byte"] == "0xC9"
    assert problem.params["char"] == "É"
    assert parsed.rows == []


def test_a_utf16_file_is_refused_with_its_own_reason():
    data = "email,first_name\n".encode("utf-16")
    assert codes(parse_students(data).problems) == [(1, "", "utf16")]


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    assert codes(parse_students(data).problems) == [(1, "", "empty_file")]


def test_a_header_without_rows_is_refused():
    data = students_csv()
    assert codes(parse_students(data).problems) == [(2, "", "no_rows")]


def test_missing_unknown_and_repeated_columns_are_named_and_no_row_is_checked():
    header = "email,first_name,last_name,programme,annee,skills,interests,choices,email\n"
    data = (header + "not-an-email,,,,,,,,\n").encode()
    assert codes(parse_students(data).problems) == [
        (1, "annee", "unknown_column"),
        (1, "email", "duplicate_column"),
        (1, "year", "missing_column"),
        (1, "group", "missing_column"),
    ]


def test_columns_may_come_in_any_order_and_case():
    columns = tuple(reversed([name.upper() for name in STUDENT_COLUMNS]))
    row = {name.upper(): value for name, value in student(year="2").items()}
    from tests.exchange.samples import csv_bytes

    parsed = parse_students(csv_bytes([row], columns))
    assert parsed.problems == [] and parsed.rows[0].year == 2


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"email": ""}, "email", "required"),
    ({"email": "prenom.nom@"}, "email", "invalid_email"),
    ({"email": "prenom nom@utbm.fr"}, "email", "invalid_email"),
    ({"first_name": "  "}, "first_name", "required"),
    ({"last_name": ""}, "last_name", "required"),
    ({"first_name": "x" * 81}, "first_name", "too_long"),
    ({"programme": ""}, "programme", "required"),
    ({"year": ""}, "year", "required"),
    ({"year": "troisième"}, "year", "not_integer"),
    ({"year": "2.5"}, "year", "not_integer"),
    ({"year": "0"}, "year", "out_of_range"),
    ({"year": "9"}, "year", "out_of_range"),
    ({"skills": "Python;" + "y" * 81}, "skills", "item_too_long"),
    ({"choices": "C001;C002;C777"}, "choices", "unknown_challenge"),
    ({"choices": "C001;C002;banane"}, "choices", "unknown_challenge"),
    ({"choices": "C001;C002;C009"}, "choices", "challenge_not_approved"),
    ({"choices": "C001;C002;C003;C001"}, "choices", "duplicate_choice"),
    ({"choices": "C001;C002;C003;C004;C005;C006"}, "choices", "too_many_choices"),
    ({"choices": "C001"}, "choices", "too_few_choices"),
    ({"choices": "C001;C002"}, "choices", "too_few_choices"),
    ({"group": "G" * 33}, "group", "too_long"),
    ({"interests": "bonjour\x00"}, "interests", "control_character"),
])
def test_each_bad_cell_is_reported_with_its_line_and_column(cells, column, code):
    data = students_csv(student(), student(**cells))
    assert codes(parse_students(data, APPROVED).problems) == [(3, column, code)]


def test_problem_params_say_what_is_wrong():
    data = students_csv(student(year="12", choices="C001;C002;C003;C001"))
    parsed = parse_students(data, APPROVED)
    year, choice = parsed.problems
    assert year.params == {"value": 12, "min": 1, "max": 8}
    assert choice.params == {"code": "C001"}


def test_a_duplicate_email_is_reported_on_each_line_whatever_its_case():
    data = students_csv(student(email="anne@utbm.fr"), student(),
                        student(email="ANNE@utbm.fr"), student(email="Anne@UTBM.fr"))
    problems = parse_students(data).problems
    assert codes(problems) == [(2, "email", "duplicate_email"), (4, "email", "duplicate_email"),
                               (5, "email", "duplicate_email")]
    assert [p.params["lines"] for p in problems] == [(4, 5), (2, 5), (2, 4)]


def test_a_group_of_four_is_reported_on_each_of_its_lines():
    friends = [student(group="amis") for _ in range(4)]
    data = students_csv(student(group="duo"), *friends, student(group="duo"))
    problems = parse_students(data).problems
    assert codes(problems) == [(line, "group", "group_too_large") for line in (3, 4, 5, 6)]
    assert problems[0].params == {"group": "AMIS", "size": 4, "max": 3, "lines": (4, 5, 6)}


def test_a_group_of_three_is_fine():
    data = students_csv(*[student(group="trio") for _ in range(3)])
    assert parse_students(data).problems == []


def test_every_broken_row_is_reported_not_only_the_first():
    data = students_csv(student(year="x"), student(), student(email="bad"),
                        student(first_name="", year="10"))
    assert codes(parse_students(data).problems) == [
        (2, "year", "not_integer"), (4, "email", "invalid_email"),
        (5, "first_name", "required"), (5, "year", "out_of_range"),
    ]


def test_multi_line_cells_count_in_line_numbers_and_the_spreadsheet_row_is_kept():
    data = students_csv(student(interests="Énergie\nmobilité\nsanté"), student(year="0"),
                        newline="\n")
    parsed = parse_students(data)
    [problem] = parsed.problems
    assert (problem.line, problem.row) == (5, 3)
    assert parsed.rows[0].interests == "Énergie\nmobilité\nsanté"


def test_crlf_inside_a_quoted_cell_becomes_a_plain_line_break():
    parsed = parse_students(students_csv(student(interests="un\r\ndeux")))
    assert parsed.rows[0].interests == "un\ndeux"


def test_blank_lines_are_skipped_but_counted():
    data = students_csv(student(), student(year="0")).replace(b"\r\n", b"\r\n\r\n,,,,,,,,\r\n", 1)
    parsed = parse_students(data)
    assert len(parsed.rows) == 2
    assert codes(parsed.problems) == [(5, "year", "out_of_range")]


def test_an_unclosed_quote_is_reported_where_the_cell_starts():
    data = students_csv(student()) + b'x@utbm.fr,"Anne,Martin,Info,3,,,,\r\nmore\r\n'
    assert codes(parse_students(data).problems) == [(3, "", "unclosed_quote")]


def test_a_row_with_more_cells_than_columns_is_reported_once():
    data = students_csv(student()) + b"a@utbm.fr,Anne,Martin,Info,3,Python,IA, robotique,,G1\r\n"
    problems = parse_students(data).problems
    assert codes(problems) == [(3, "", "too_many_cells")]
    assert problems[0].params == {"count": 10, "expected": 9}


def test_trailing_empty_cells_and_short_rows_are_tolerated():
    data = (students_csv(student()) + b"b@utbm.fr,Anne,Martin,Info,3,,,,,,\r\n"
            + b"c@utbm.fr,Li,Wu,Info,2\r\n")
    parsed = parse_students(data)
    assert parsed.problems == [] and len(parsed.rows) == 3


def test_without_challenge_statuses_choices_are_not_checked_against_codes():
    parsed = parse_students(students_csv(student(choices="C404;C405;C406")))
    assert parsed.problems == [] and parsed.rows[0].choices == ("C404", "C405", "C406")


@pytest.mark.parametrize("choices", ["", "C001;C002;C003", "C001;C002;C003;C004",
                                     "C001;C002;C003;C004;C005"])
def test_choices_are_empty_or_three_to_five_like_a_ranking_in_the_app(choices):
    parsed = parse_students(students_csv(student(choices=choices)), APPROVED)
    assert parsed.problems == []
    assert len(parsed.rows[0].choices) == len([code for code in choices.split(";") if code])


def test_one_or_two_choices_are_reported_with_the_count_and_the_minimum():
    parsed = parse_students(students_csv(student(choices="C001;C002"), student(choices="C003"),
                                         student(choices="C004;C004")), APPROVED)
    assert codes(parsed.problems) == [(2, "choices", "too_few_choices"),
                                      (3, "choices", "too_few_choices"),
                                      (4, "choices", "duplicate_choice"),
                                      (4, "choices", "too_few_choices")]
    assert parsed.problems[0].params == {"count": 2, "min": 3}
    assert parsed.problems[1].params == {"count": 1, "min": 3}


def test_a_clean_challenges_file_parses_with_multi_line_descriptions():
    data = challenges_csv(challenge("c017", skills="CAO; Usinage"), challenge("C018", teams="10"))
    parsed = parse_challenges(data)
    assert parsed.problems == []
    first, second = parsed.rows
    assert (first.code, first.skills, first.teams) == ("C017", ("CAO", "Usinage"), 2)
    assert first.description == "Réduire la consommation.\nLivrable : un prototype."
    assert (second.line, second.teams) == (4, 10)


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"code": ""}, "code", "required"),
    ({"code": "D001"}, "code", "bad_code"),
    ({"code": "C-12"}, "code", "bad_code"),
    ({"title": ""}, "title", "required"),
    ({"title": "t" * 201}, "title", "too_long"),
    ({"organisation": " "}, "organisation", "required"),
    ({"teams": ""}, "teams", "required"),
    ({"teams": "deux"}, "teams", "not_integer"),
    ({"teams": "0"}, "teams", "out_of_range"),
    ({"teams": "11"}, "teams", "out_of_range"),
])
def test_each_bad_challenge_cell_is_reported(cells, column, code):
    data = challenges_csv(challenge("C001"), challenge("C002", **cells))
    assert codes(parse_challenges(data).problems) == [(4, column, code)]


def test_a_challenge_code_twice_in_the_file_is_reported_on_both_lines():
    data = challenges_csv(challenge("C001"), challenge("C002"), challenge("c001"),
                          newline="\n")
    problems = parse_challenges(data).problems
    assert codes(problems) == [(2, "code", "duplicate_code"), (6, "code", "duplicate_code")]
    assert [(p.row, p.params["lines"]) for p in problems] == [(2, (6,)), (4, (2,))]

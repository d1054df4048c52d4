"""The upload form of the students and challenges imports: a CSV file or a workbook."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

IMPORT_EXTENSIONS = ("csv", "xlsx", "ods")
IMPORT_TYPES = (
    ".csv", ".xlsx", ".ods", "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
)


class ImportForm(FlaskForm):
    """The file's format is then told by its content, not by its name."""

    file = FileField(
        _l("File to import"),
        description=_l("CSV in UTF-8 (.csv), Excel workbook (.xlsx) or OpenDocument "
                       "spreadsheet (.ods)."),
        validators=[
            FileRequired(_l("Choose the file to import.")),
            FileAllowed(IMPORT_EXTENSIONS, _l(
                "Choose a .csv, .xlsx or .ods file (an Excel 97–2003 .xls workbook: save it "
                "as .xlsx first).")),
        ],
        render_kw={"accept": ",".join(IMPORT_TYPES)},
    )
    submit = SubmitField(_l("Import the file"))

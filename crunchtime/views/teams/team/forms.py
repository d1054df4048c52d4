"""Forms of the team space: the submission, the team's name and gallery choice, a stage."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    MultipleFileField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from crunchtime.services.submissions import versions as submissions
from crunchtime.services.submissions.files import Upload
from crunchtime.services.submissions.versions import SaveRequest, SubmissionDraft
from crunchtime.teamwork import links, naming, revisions
from crunchtime.teamwork.revisions import MERGE, OVERRIDE

FIELD_LABELS = {
    "title": _l("Project title"),
    "pitch": _l("One-line pitch"),
    "problem": _l("Problem"),
    "solution": _l("Solution"),
    "prototype": _l("What we prototyped"),
    "user_tests": _l("What we tested with users"),
    "repository": _l("Code repository"),
    "video": _l("Video"),
    "demo": _l("Demo"),
    revisions.FILES: _l("Files"),
}
LIMITS = submissions.TEXT_LIMITS


def long_text(name: str, description):
    return TextAreaField(FIELD_LABELS[name], description=description,
                         validators=[Optional(), Length(max=LIMITS[name])])


def link_field(name: str, description):
    return URLField(FIELD_LABELS[name], description=description,
                    validators=[Optional(), Length(max=links.MAX_LENGTH)])


def uploads_of(field) -> list[Upload]:
    """The files actually chosen (an empty file input sends one nameless part)."""
    return [Upload(item.stream, item.filename) for item in (field.data or [])
            if getattr(item, "filename", "")]


class SubmissionForm(FlaskForm):
    base_version = IntegerField(widget=HiddenInput(), default=0)
    title = StringField(FIELD_LABELS["title"], validators=[Optional(), Length(max=200)])
    pitch = StringField(FIELD_LABELS["pitch"], validators=[Optional(), Length(max=300)],
                        description=_l("Your project in one sentence, for the jury and the "
                                       "gallery."))
    problem = long_text("problem", _l("Who has the problem, and what did you learn about "
                                      "them (empathise, define)?"))
    solution = long_text("solution", _l("Your idea and why it answers the problem "
                                        "(ideate)."))
    prototype = long_text("prototype", _l("What you built to try the idea: mock-up, app, "
                                          "object, service scenario…"))
    user_tests = long_text("user_tests", _l("Who tried it, what they said, what you "
                                            "changed (test)."))
    repository = link_field("repository", _l("For example https://github.com/…"))
    video = link_field("video", _l("A short video of the prototype or the pitch."))
    demo = link_field("demo", _l("Where the jury can try the prototype."))
    files = MultipleFileField(_l("Add files"))
    submit = SubmitField(_l("Save"))
    merge = SubmitField(_l("Merge: keep their changes where I changed nothing"))
    override = SubmitField(_l("Keep my version of every field"))

    def _check_link(self, field) -> None:
        try:
            field.data = links.clean_link(field.data)
        except links.BadLink as error:
            raise ValidationError(submissions.link_message(error.reason)) from error

    validate_repository = validate_video = validate_demo = _check_link

    def to_request(self, seen_version: int | None) -> SaveRequest:
        draft = SubmissionDraft(**{name: getattr(self, name).data or ""
                                   for name in revisions.CONTENT_FIELDS})
        resolution = MERGE if self.merge.data else OVERRIDE if self.override.data else None
        return SaveRequest(draft, self.base_version.data or 0, uploads_of(self.files),
                           resolution, seen_version)


class TeamNameForm(FlaskForm):
    name = StringField(_l("Team name"),
                       validators=[InputRequired(_l("Enter a name for the team.")),
                                   Length(max=naming.MAX_LENGTH)])
    submit = SubmitField(_l("Rename the team"))


class GalleryForm(FlaskForm):
    show_in_gallery = BooleanField(_l("I agree to show our project in the public gallery once "
                                      "the results are published (first names only)."))
    submit = SubmitField(_l("Save this choice"))


class StageForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    file = FileField(_l("Photo or file"))
    submit = SubmitField(_l("Mark this stage as done"))


class RestoreForm(FlaskForm):
    base_version = IntegerField(widget=HiddenInput())
    submit = SubmitField(_l("Restore this version"))

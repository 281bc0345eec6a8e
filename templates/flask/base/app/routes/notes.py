"""The example resource: notes owned by the signed-in user, /api/v1/notes."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for
from sqlalchemy import func, select

from ..auth import authenticate, current_user
from ..database import db_session
from ..errors import FieldError, ProblemError, ValidationFailed
from ..models import MAX_ID, Note, utc_now
from ..schemas import NoteCreate, NoteUpdate
from ..validation import parse_json, query_int

bp = Blueprint("notes", __name__, url_prefix="/api/v1/notes")

# Every route of this blueprint requires a token, including routes added later.
bp.before_request(authenticate)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@bp.get("")
def list_notes() -> Response:
    errors: list[FieldError] = []
    limit = query_int("limit", DEFAULT_LIMIT, errors, minimum=1, maximum=MAX_LIMIT)
    offset = query_int("offset", 0, errors, minimum=0)
    if errors:
        raise ValidationFailed(errors)

    session = db_session()
    owner_id = current_user().id
    total = session.scalar(select(func.count()).select_from(Note).where(Note.owner_id == owner_id))
    notes = session.scalars(
        select(Note).where(Note.owner_id == owner_id).order_by(Note.id).limit(limit).offset(offset)
    )
    return jsonify(
        items=[note.to_dict() for note in notes], total=total or 0, limit=limit, offset=offset
    )


@bp.post("")
def create_note() -> tuple[Response, int, dict[str, str]]:
    payload = parse_json(NoteCreate)
    now = utc_now()
    note = Note(
        owner_id=current_user().id,
        title=payload.title,
        body=payload.body,
        created_at=now,
        updated_at=now,
    )
    session = db_session()
    session.add(note)
    session.commit()
    return jsonify(note.to_dict()), 201, {"Location": url_for(".get_note", note_id=note.id)}


@bp.get("/<int:note_id>")
def get_note(note_id: int) -> Response:
    return jsonify(_owned_note(note_id).to_dict())


@bp.patch("/<int:note_id>")
def update_note(note_id: int) -> Response:
    note = _owned_note(note_id)
    payload = parse_json(NoteUpdate)
    for name, value in payload.model_dump(exclude_unset=True).items():
        setattr(note, name, value)
    note.updated_at = utc_now()
    db_session().commit()
    return jsonify(note.to_dict())


@bp.delete("/<int:note_id>")
def delete_note(note_id: int) -> tuple[str, int]:
    session = db_session()
    session.delete(_owned_note(note_id))
    session.commit()
    return "", 204


def _owned_note(note_id: int) -> Note:
    """The caller's note `note_id`. Someone else's note is a 404, so ids reveal nothing."""
    note = db_session().get(Note, note_id) if note_id <= MAX_ID else None
    if note is None or note.owner_id != current_user().id:
        raise ProblemError(404, "Note not found.")
    return note

"""API resources ``/api/v1/help-requests/requests`` and ``/api/v1/help-requests/answers``.

``POST .../requests/<id>/transitions/respond`` with ``{"reply": "..."}`` replies (required for a
written inquiry); ``resolve`` takes ``{"result": ...}``, ``close`` ``{"return_visit": ...}``,
``cancel`` ``{"comment": ...}``.
"""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.help_requests.answers import create_answer, update_answer
from plugins.help_requests.handling import register_request
from plugins.help_requests.models import HelpRequest, StandardAnswer
from plugins.help_requests.schemas import HelpRequestSchema, StandardAnswerSchema


def api_resources() -> list[ApiResourceSpec]:
    return [
        ApiResourceSpec(model=HelpRequest, schema=HelpRequestSchema, path="help-requests/requests",
                        view_permission="help_requests.view", edit_permission="help_requests.register",
                        filters=("estate_id", "unit_id", "kind", "category", "status"),
                        workflow="help_requests.request", create_service=register_request, can_update=False,
                        sensitive_fields=("caller_phone",)),
        ApiResourceSpec(model=StandardAnswer, schema=StandardAnswerSchema, path="help-requests/answers",
                        view_permission="help_requests.view", edit_permission="help_requests.answers",
                        filters=("estate_id", "topic", "active"), create_service=create_answer,
                        update_service=update_answer),
    ]

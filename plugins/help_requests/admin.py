"""Admin screens of the help_requests plugin (menu 业主求助): the help register and the standard
answers (服务口径)."""

from __future__ import annotations

from core import SERVICE_DESK_MENU, AdminViewSpec
from plugins.help_requests.answers import create_answer
from plugins.help_requests.handling import register_request
from plugins.help_requests.models import HelpRequest, StandardAnswer
from plugins.help_requests.schemas import HelpRequestSchema, StandardAnswerSchema


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(model=HelpRequest, schema=HelpRequestSchema, name="help_requests_requests",
                      label="Help register", label_zh="求助登记", view_permission="help_requests.view",
                      edit_permission="help_requests.register",
                      list_columns=("number", "received_at", "kind", "category", "unit_id", "location",
                                    "caller_name", "caller_phone", "reply_due_at", "status"),
                      search_fields=("number", "caller_name", "location"),
                      filters=("estate_id", "kind", "category", "status"), sensitive_fields=("caller_phone",),
                      workflow="help_requests.request", create_service=register_request, can_edit=False,
                      menu=SERVICE_DESK_MENU, order=30),
        AdminViewSpec(model=StandardAnswer, schema=StandardAnswerSchema, name="help_requests_answers",
                      label="Standard answers", label_zh="服务口径", view_permission="help_requests.view",
                      edit_permission="help_requests.answers",
                      list_columns=("topic", "question", "keywords", "estate_id", "active", "updated_at"),
                      search_fields=("question", "keywords"), filters=("topic", "active"),
                      create_service=create_answer, menu=SERVICE_DESK_MENU, order=31),
    ]

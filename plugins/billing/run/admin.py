"""Billing runs in the admin (出账批次): each queued run's progress per estate, and per chunk on its page.

A read-only screen: runs are started by ``wuye billing run`` (or a plugin's code); the list shows
each run's estate, period, status and chunks billed, and a run's page adds a table of its chunks.
"""

from __future__ import annotations

from markupsafe import Markup
from marshmallow import Schema, fields

from core import AdminViewSpec, Text
from plugins.billing.models.run import CHUNK_STATUSES, RUN_STATUSES, BillingRun

LABELS = {
    "estate": ("Estate", "小区"),
    "period": ("Period", "账期"),
    "posted_on": ("Posted on", "记账日期"),
    "status": ("Status", "状态"),
    "chunks_done": ("Chunks billed", "已完成分块"),
    "chunks_total": ("Chunks", "分块数"),
    "lines_created": ("Lines created", "生成应收条数"),
    "lines_existing": ("Lines that existed", "已存在条数"),
    "amount_fen": ("Amount", "金额"),
    "created_at": ("Queued at", "排队时间"),
    "finished_at": ("Finished at", "完成时间"),
}


class BillingRunSchema(Schema):
    """A queued billing run, read only."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    period = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    posted_on = fields.Date(dump_only=True)
    chunks_total = fields.Integer(dump_only=True)
    chunks_done = fields.Integer(dump_only=True)
    lines_created = fields.Integer(dump_only=True)
    lines_existing = fields.Integer(dump_only=True)
    amount_fen = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True)


class RunProgressPage:
    """Adds the table of the run's chunks to its record page."""

    def _sections(self, record) -> list:
        out = super()._sections(record)
        if isinstance(record, BillingRun):
            out.append(chunk_table(record))
        return out


def pick(en: str, zh: str = "") -> str:
    return str(Text(en, zh))


def chunk_table(run: BillingRun) -> Markup:
    head = [pick("Chunk", "分块"), pick("Buildings", "楼栋数"), pick("Units", "户数"), pick("Status", "状态"),
            pick("Lines created", "生成应收条数"), pick("Task", "任务")]
    rows = Markup("").join(
        Markup('<tr class="wuye-run-chunk" data-status="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
               "<td>{}</td><td>{}</td></tr>").format(
            c.status, c.seq, len(c.building_ids or []), c.units, pick(*CHUNK_STATUSES.get(c.status, (c.status, ""))),
            c.lines_created, f"#{c.task_id}" if c.task_id else "—")
        for c in run.chunks)
    title = pick(f"Progress: {run.chunks_done} of {run.chunks_total} chunks billed",
                 f"进度：已完成 {run.chunks_done}/{run.chunks_total} 个分块")
    return Markup('<div class="card mb-3 wuye-run-progress"><div class="card-header">{}</div>'
                  '<table class="table table-sm mb-0"><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>').format(
        title, Markup("").join(Markup("<th>{}</th>").format(h) for h in head), rows)


def run_admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(
            model=BillingRun,
            schema=BillingRunSchema,
            name="billing_runs",
            label="Billing runs",
            label_zh="出账批次",
            view_permission="billing.view",
            edit_permission=None,
            list_columns=("estate", "period", "status", "chunks_done", "chunks_total", "lines_created", "amount_fen",
                          "created_at"),
            filters=("period", "status"),
            column_labels=LABELS,
            can_create=False,
            can_edit=False,
            order=19,
            view_mixin=RunProgressPage,
        )
    ]


__all__ = ["RUN_STATUSES", "run_admin_views"]

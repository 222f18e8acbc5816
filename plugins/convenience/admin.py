"""Admin screens of the convenience plugin (generated from these specs by the core web layer)."""

from __future__ import annotations

from core import AdminViewSpec
from plugins.convenience import models as m
from plugins.convenience import schemas as s
from plugins.convenience.agreements import create_agreement
from plugins.convenience.catalogue import create_item, create_version_from_data
from plugins.convenience.orders import create_order
from plugins.convenience.reports import enter_cost
from plugins.convenience.statements import build_statement_from_data
from plugins.convenience.workflows import CATALOGUE, ORDER

# columns that are relations or stored values rather than fields of the screen's schema
RELATED = {
    "version_id": ("Catalogue version", "价格表版本"), "unit_of_charge": ("Charged", "计价单位"),
    "assigned_partner": ("Partner company", "合作单位"), "delivered_at": ("Service done at", "完成服务时间"),
    "entered_at": ("Entered at", "录入时间"), "created_at": ("Created at", "创建时间"),
}


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(
            model=m.ConvenienceItem, schema=s.ItemSchema, column_labels=RELATED, name="convenience_items", label="Service items",
            label_zh="便民服务项目", view_permission="convenience.view", edit_permission="convenience.manage_catalogue",
            list_columns=("code", "name_zh", "name", "category", "fee_kind", "unit_of_charge", "price_fen",
                          "prepay_kind", "prepay_fen", "provider_company", "target_hours", "active"),
            search_fields=("code", "name", "name_zh"), filters=("category", "fee_kind", "active"),
            lookups={"provider_department_id": "department"}, order=10, create_service=create_item),
        AdminViewSpec(
            model=m.ConvenienceCatalogueVersion, schema=s.VersionSchema, column_labels=RELATED, name="convenience_catalogue_versions",
            label="Price lists", label_zh="便民服务项目及价格表", view_permission="convenience.view",
            edit_permission="convenience.manage_catalogue",
            list_columns=("title", "year", "version_no", "status", "survey_respondents", "approved_at",
                          "published_at"),
            filters=("status", "year"), workflow=CATALOGUE, can_edit=False, order=20,
            create_service=create_version_from_data),
        AdminViewSpec(
            model=m.ConveniencePrice, schema=s.PriceSchema, column_labels=RELATED, name="convenience_catalogue_prices",
            label="Price list rows", label_zh="价格表明细", view_permission="convenience.view",
            list_columns=("version_id", "item_id", "price_fen", "unit_of_charge", "prepay_kind", "prepay_fen"),
            filters=("version_id",), lookups={"item_id": "convenience_item"}, can_create=False, can_edit=False,
            order=25),
        AdminViewSpec(
            model=m.ConvenienceOrder, schema=s.OrderSchema, column_labels=RELATED, name="convenience_orders", label="Service orders",
            label_zh="便民服务登记", view_permission="convenience.view", edit_permission="convenience.order",
            list_columns=("number", "unit_id", "customer_id", "item_id", "quantity", "amount_fen", "billing_mode",
                          "channel", "status", "assigned_partner", "delivered_at", "satisfaction"),
            search_fields=("number",), filters=("status", "billing_mode", "channel", "item_id"),
            sensitive_fields=(), lookups={"unit_id": "unit", "customer_id": "party", "item_id": "convenience_item"},
            workflow=ORDER, can_edit=False, order=30, create_service=create_order),
        AdminViewSpec(
            model=m.ConvenienceAgreement, schema=s.AgreementSchema, column_labels=RELATED, name="convenience_agreements",
            label="Long-term agreements", label_zh="委托服务单", view_permission="convenience.view",
            edit_permission="convenience.order",
            list_columns=("number", "unit_id", "customer_id", "item_id", "frequency", "price_fen", "start_on",
                          "end_on", "active", "stop_reason"),
            search_fields=("number",), filters=("active", "frequency", "item_id"),
            lookups={"unit_id": "unit", "customer_id": "party", "item_id": "convenience_item"}, can_edit=False,
            order=40, create_service=create_agreement),
        AdminViewSpec(
            model=m.ConvenienceStatement, schema=s.StatementSchema, column_labels=RELATED, name="convenience_statements",
            label="Monthly statements", label_zh="有偿便民服务月结统计表", view_permission="convenience.statements",
            edit_permission="convenience.statements",
            list_columns=("period", "unit_id", "customer_id", "total_fen", "posted_at"),
            filters=("period",), lookups={"unit_id": "unit", "customer_id": "party"}, can_edit=False, order=50,
            create_service=build_statement_from_data),
        AdminViewSpec(
            model=m.ConvenienceItemCost, schema=s.CostSchema, column_labels=RELATED, name="convenience_item_costs", label="Item costs",
            label_zh="便民服务成本", view_permission="convenience.reports", edit_permission="convenience.reports",
            list_columns=("period", "item_id", "cost_fen", "note", "entered_at"), filters=("period", "item_id"),
            lookups={"item_id": "convenience_item"}, can_edit=False, order=60, create_service=enter_cost),
        AdminViewSpec(
            model=m.ConvenienceCatalogueReview, schema=s.ReviewSchema, column_labels=RELATED, name="convenience_catalogue_reviews",
            label="Yearly price-list reviews", label_zh="年度价格表评审", view_permission="convenience.view",
            list_columns=("year", "created_at", "version_id", "done_at", "note"), filters=("year",),
            can_create=False, can_edit=False, order=70),
    ]

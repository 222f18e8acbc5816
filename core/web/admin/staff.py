"""Staff accounts and role grants (permission ``core.staff.manage``)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from marshmallow import Schema, fields, validate
from sqlalchemy import delete, select
from wtforms import PasswordField, SelectMultipleField

from core.errors import ValidationError, WuyeError
from core.models import Estate, Role, RolePermission
from core.security import grants
from core.security.passwords import MIN_LENGTH, hash_password
from core.services.staff import create_staff
from core.web.admin import forms as wforms
from core.web.admin.base import WuyeModelView
from core.web.context import actor, db, wuye
from core.web.i18n import gettext, pick
from core.web.integration import scope


class StaffSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    full_name = fields.String(load_default="", validate=validate.Length(max=200))
    employee_no = fields.String(load_default="", validate=validate.Length(max=32))
    active = fields.Boolean(load_default=True)
    locale = fields.String(load_default="", validate=validate.OneOf(["", "zh_CN", "en"]))
    email = fields.String(load_default="", validate=[validate.Length(max=200), validate.Regexp(
        r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$", error="an e-mail address such as name@example.com, or empty")], metadata={
        "label": "E-mail (notifications)", "label_zh": "电子邮箱(通知)"})
    mobile = fields.String(load_default="", validate=validate.Regexp(r"^(\+?[0-9][0-9 -]{5,38})?$", error=(
        "a mobile number of digits, e.g. 13800000000")), metadata={"label": "Mobile (SMS)", "label_zh": "手机(短信)"})
    password = fields.String(load_only=True, validate=validate.Length(max=256))
    roles = fields.List(fields.String(), load_default=list)
    estates = fields.List(fields.String(), load_default=list)
    created_at = fields.AwareDateTime(dump_only=True)


class StaffUserView(WuyeModelView):
    """Staff logins: roles and estates are chosen from lists; passwords are set, never shown."""

    def _multi_fields(self, form_class, edit: bool):
        form_class.roles = SelectMultipleField(gettext("Roles"), choices=[], validate_choice=False)
        form_class.estates = SelectMultipleField(gettext("Estates"), choices=[], validate_choice=False)
        form_class.password = PasswordField(gettext("New password") if edit else gettext("Password"))
        return form_class

    def get_create_form(self):
        return self._multi_fields(wforms.build_form_class(self, edit=False), False)

    def get_edit_form(self):
        return self._multi_fields(wforms.build_form_class(self, edit=True), True)

    def _choices(self, form):
        form.roles.choices = [(r.name, pick(r.label, r.label_zh)) for r in db().scalars(select(Role).order_by(Role.id))]
        stmt = scope(select(Estate).order_by(Estate.code), actor(), Estate)
        form.estates.choices = [(e.code, str(e)) for e in db().scalars(stmt)]
        return form

    def create_form(self, obj=None):
        return self._choices(super().create_form(obj))

    def edit_form(self, obj=None):
        form = self._choices(super().edit_form(obj))
        if request.method != "POST" and obj is not None:
            form.roles.data = sorted(obj.role_names)
            form.estates.data = [e.code for e in obj.estates]
        return form

    def _save(self, form, record=None):
        raw, _ = wforms.form_to_raw(self, form, edit=record is not None)
        raw.pop("password", None)
        password = form.password.data or ""
        roles, estates = list(form.roles.data or []), list(form.estates.data or [])
        try:
            from core.web import records

            data = records.load(StaffSchema, {**raw, "roles": roles, "estates": estates}, partial=record is not None)
            s = db()
            if record is None:
                user = create_staff(s, data["username"], password, roles=roles, estates=estates,
                                    full_name=data.get("full_name", ""), employee_no=data.get("employee_no", ""))
                user.locale, user.active = data.get("locale", ""), data.get("active", True)
                user.email, user.mobile = data.get("email", ""), data.get("mobile", "")  # notifications
            else:
                user = record
                for key in ("full_name", "employee_no", "active", "locale", "email", "mobile"):
                    if key in data:
                        setattr(user, key, data[key])
                if password:
                    if len(password) < MIN_LENGTH:
                        raise ValidationError(f"the password needs at least {MIN_LENGTH} characters", field="password")
                    user.password_hash = hash_password(password)
                user.roles = list(s.scalars(select(Role).where(Role.name.in_(roles))))
                user.estates = list(s.scalars(select(Estate).where(Estate.code.in_(estates))))
                if not user.estates and not user.all_estates:
                    raise ValidationError("staff of an office-level role must be assigned at least one estate",
                                          field="estates")
            s.flush()
            grants.forget(s)
            s.commit()
            return user
        except ValidationError as exc:
            self._show_errors(form, exc.errors)
        except WuyeError as exc:
            flash(exc.message, "error")
        db().rollback()
        return None

    def display(self, record, name):
        if name == "roles":
            return ", ".join(pick(r.label, r.label_zh) for r in record.roles)
        if name == "estates":
            return ", ".join(e.code for e in record.estates) or gettext("All")
        return super().display(record, name)


class RolesView(BaseView):
    """Roles and their permissions; granting is data, so company changes survive upgrades."""

    def is_accessible(self) -> bool:
        return actor() is not None and grants.has_permission(db(), actor(), "core.staff.manage")

    def inaccessible_callback(self, name, **kwargs):
        if actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return abort(403)

    def _permissions(self):
        reg = wuye().registry
        groups: dict[str, list] = {}
        for name, perm in reg.permissions.items():
            owner = reg.permission_owner.get(name, "core")
            title = gettext("Core") if owner == "core" else pick(wuye().manifests[owner].title,
                                                                   wuye().manifests[owner].title_zh)
            groups.setdefault(title, []).append((name, pick(perm.label, perm.label_zh)))
        return groups

    @expose("/")
    def index(self):
        roles = list(db().scalars(select(Role).order_by(Role.id)))
        counts = {}
        for rp in db().scalars(select(RolePermission)):
            counts[rp.role_id] = counts.get(rp.role_id, 0) + 1
        rows = [(r, pick(r.label, r.label_zh), counts.get(r.id, 0)) for r in roles]
        return self.render("wuye/roles.html", rows=rows)

    @expose("/<int:role_id>/", methods=("GET", "POST"))
    def edit(self, role_id: int):
        role = db().get(Role, role_id)
        if role is None:
            abort(404)
        known = wuye().registry.permissions
        if request.method == "POST":
            wanted = {p for p in request.form.getlist("permission") if p in known}
            db().execute(delete(RolePermission).where(RolePermission.role_id == role.id,
                                                      RolePermission.permission.in_(list(known))))
            for p in sorted(wanted):
                db().add(RolePermission(role_id=role.id, permission=p))
            db().flush()
            grants.forget(db())
            db().commit()
            flash(gettext("Permissions saved."), "success")
            return redirect(self.get_url(".edit", role_id=role.id))
        granted = set(db().scalars(select(RolePermission.permission).where(RolePermission.role_id == role.id)))
        return self.render("wuye/role_edit.html", role=role, role_label=pick(role.label, role.label_zh),
                           groups=self._permissions(), granted=granted)

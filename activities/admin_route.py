"""The coordinator's admin of individual routes (ИОМ) of the Methodical Subscription.

Registered from ActivitiesConfig.ready(). Order and status are editable in the list, so a route is reordered
and its steps marked in one screen; the module, activity and session of a step must be of the teacher's season.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import MASCULINE, Forms
from core.zones import moment_text
from participants.admin import OrganisationScopedFilter, SubscriptionEnrollmentAdminMixin, SubscriptionSeasonFilter
from participants.models import Enrollment
from programs.admin_mixins import MunicipalityScopedAdmin, scoped_rows
from programs.models import Program, RoadmapModule
from programs.signals import rows_changed

from .models import Activity, RouteItem, Session
from .route_builder import CONTENT, EDITABLE, route_item_add, route_item_update

ROUTE_FIELDS = ["enrollment", "order", "form", "title", "module", "activity", "session", "planned_on", "status", "note"]


class RouteItemAdminForm(forms.ModelForm):
    class Meta:
        model = RouteItem
        fields = ROUTE_FIELDS

    def clean(self):
        cleaned = super().clean()
        # A saved step keeps its teacher (the field is read-only on change).
        enrollment = cleaned.get("enrollment") or (self.instance.enrollment if self.instance.pk else None)
        if enrollment is None:
            return cleaned
        if enrollment.season.program.kind != Program.Kind.SUBSCRIPTION:
            # On change the teacher is read-only (not a form field): the error is then the form's own.
            self.add_error(
                "enrollment" if "enrollment" in self.fields else None,
                _("Индивидуальный маршрут строится только для участников «Методического абонемента»."),
            )
            return cleaned
        season_id = enrollment.season_id
        module, activity, session = cleaned.get("module"), cleaned.get("activity"), cleaned.get("session")
        if module is not None and module.season_id != season_id:
            self.add_error("module", _("Этот модуль относится к другому сезону, не к сезону участника."))
        if activity is not None and activity.season_id != season_id:
            self.add_error("activity", _("Это мероприятие относится к другому сезону, не к сезону участника."))
        if session is not None:
            if session.activity.season_id != season_id:
                self.add_error("session", _("Это занятие относится к другому сезону, не к сезону участника."))
            elif activity is not None and session.activity_id != activity.pk:
                self.add_error("session", _("Это занятие относится к другому мероприятию."))
        season = enrollment.season
        planned_on = cleaned.get("planned_on")
        if "planned_on" in self.changed_data and planned_on and not season.starts_on <= planned_on <= season.ends_on:
            self.add_error(
                "planned_on",
                _("Дата шага должна быть в пределах сезона: с %(start)s по %(end)s.")
                % {"start": season.starts_on.strftime("%d.%m.%Y"), "end": season.ends_on.strftime("%d.%m.%Y")},
            )
        planned = RouteItem.Status.PLANNED
        old_status = self.instance.status if self.instance.pk else planned
        if set(self.changed_data) & set(CONTENT) and planned not in (old_status, cleaned.get("status")):
            raise forms.ValidationError(
                _("Изменить можно только запланированный шаг: этот шаг уже «%(status)s».")
                % {"status": RouteItem.Status(old_status).label}
            )
        if not (cleaned.get("title") or module or activity or session):
            raise forms.ValidationError(
                _("Укажите, что запланировано: название шага, модуль, мероприятие или занятие.")
            )
        return cleaned


class RouteItemAdmin(SubscriptionEnrollmentAdminMixin, MunicipalityScopedAdmin):
    municipality_path = "enrollment__season__program__municipality"
    form = RouteItemAdminForm
    fields = ROUTE_FIELDS
    list_display = ["teacher", "season", "order", "what", "form", "planned_on", "status"]
    list_display_links = ["what"]
    list_editable = ["order", "status"]
    list_filter = [
        ("enrollment__season", SubscriptionSeasonFilter),
        "status",
        "form",
        ("enrollment__person__organisation", OrganisationScopedFilter),
    ]
    search_fields = [
        "enrollment__person__last_name",
        "enrollment__person__first_name",
        "title",
        "activity__title",
        "module__title",
    ]
    list_select_related = ["enrollment__person", "enrollment__season__program", "module", "activity", "session"]
    # One teacher's route stays together and in its order, as the teacher sees it.
    ordering = ["enrollment__person__last_name", "enrollment_id", "order", "planned_on", "pk"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "enrollment"]

    def save_model(self, request, obj, form, change):
        """Through the route services, so the season's rules hold and the teacher is told (one notification per
        change); the order of steps is only arrangement and is saved as typed."""
        data = form.cleaned_data
        try:
            if not change:
                item = route_item_add(enrollment=data["enrollment"], **{f: data.get(f) for f in CONTENT if f in data})
                if data.get("status") not in (None, "", RouteItem.Status.PLANNED):
                    item = route_item_update(item=item, status=data["status"])
                obj.pk, obj.order, obj.created_at = item.pk, item.order, item.created_at
                obj._state.adding = False
            else:
                changes = {f: data[f] for f in form.changed_data if f in EDITABLE}
                if changes:
                    route_item_update(item=obj, **changes)
            if "order" in form.changed_data and data.get("order"):
                RouteItem.objects.filter(pk=obj.pk).update(order=data["order"])
                rows_changed.send(sender=RouteItem)
                obj.order = data["order"]
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    @admin.display(description=_("Педагог"), ordering="enrollment__person__last_name")
    def teacher(self, obj):
        return obj.enrollment.person.short_name

    @admin.display(description=_("Сезон"), ordering="enrollment__season")
    def season(self, obj):
        return obj.enrollment.season

    @admin.display(description=_("Что запланировано"))
    def what(self, obj):
        return obj.title or (obj.activity.title if obj.activity_id else "") or str(obj.session or obj.module or "—")

    def _season_id(self, request, obj):
        if obj is not None:
            return obj.enrollment.season_id
        # «Добавить шаг» from a teacher's route may pass ?enrollment=<id>; anything else means «not known yet».
        raw = request.GET.get("enrollment", "")
        if raw.isdecimal():  # isdigit() passes «²», which the lookup refuses
            enrollment = scoped_rows(Enrollment.objects.filter(pk=raw), request.user, self.admin_site)
            return enrollment.values_list("season_id", flat=True).first()
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._route_season_id = self._season_id(request, obj)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        season_id = getattr(request, "_route_season_id", None)
        subscription = Program.Kind.SUBSCRIPTION
        if db_field.name == "module":
            qs = RoadmapModule.objects.select_related("season__program").filter(season__program__kind=subscription)
            qs = qs.filter(season_id=season_id) if season_id else qs
            kwargs["queryset"] = qs
        elif db_field.name == "activity":
            qs = Activity.objects.select_related("season__program").filter(season__program__kind=subscription)
            qs = qs.filter(season_id=season_id) if season_id else qs
            kwargs["queryset"] = qs
        elif db_field.name == "session":
            qs = Session.objects.select_related("activity__season__program").filter(
                activity__season__program__kind=subscription
            )
            qs = qs.filter(activity__season_id=season_id) if season_id else qs
            kwargs["queryset"] = qs.order_by("starts_at")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in {"module", "activity"} and not season_id:
            field.label_from_instance = lambda o: f"{o} — {o.season}"
        elif db_field.name == "session":
            field.label_from_instance = lambda s: _session_label(s, with_season=not season_id)
        return field


def _session_label(session: Session, *, with_season: bool) -> str:
    season = session.activity.season
    when = moment_text(session.starts_at, season.tz, "d.m.Y H:i")
    label = f"{when} — {session.title or session.activity.title}"
    return f"{label} — {season}" if with_season else label


admin.site.register(RouteItem, RouteItemAdmin)

admin_grammar.register(
    RouteItem,
    Forms(
        MASCULINE,
        "шаг индивидуального маршрута",
        accusative="шаг индивидуального маршрута",
        accusative_plural="шаги индивидуального маршрута",
        few="шага индивидуального маршрута",
        many="шагов индивидуального маршрута",
    ),
)

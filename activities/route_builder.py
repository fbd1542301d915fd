"""The tutor's route builder: the steps of a teacher's individual route (ИОМ) for an individual request.

Service functions (route_item_add / route_item_update / route_items_reorder / route_item_move) carry the rules:
a step's module, activity and session belong to the teacher's season, a session to the chosen activity, a step
says what is planned, its date lies within the season, and only a planned step is edited. RouteItemForm only
validates what was typed; its choices are limited to the season. Adding and changing a step tells the teacher
(route_notices), in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import BoundedDatesMixin
from core.zones import moment_text
from participants.models import Enrollment, SubscriptionForm
from programs.models import Program, RoadmapModule
from programs.signals import rows_changed

from .models import Activity, RouteItem, Session
from .route_notices import route_step_added_notify, route_step_changed_notify

EDITABLE = ("form", "title", "module", "activity", "session", "planned_on", "note", "status")
# What a step plans; these change only while the step is planned (a done, missed or cancelled step is history).
CONTENT = ("form", "title", "module", "activity", "session", "planned_on", "note")


def _route_check(
    *,
    enrollment: Enrollment,
    form: str,
    title: str,
    module: RoadmapModule | None,
    activity: Activity | None,
    session: Session | None,
    status: str = RouteItem.Status.PLANNED,
    planned_on: date | None = None,
) -> None:
    """Field errors for a step that does not fit the teacher's season; returns quietly when it fits.

    `planned_on` is checked when given: a step of the season's route happens within the season.
    """
    if enrollment.season.program.kind != Program.Kind.SUBSCRIPTION:
        raise ValidationError(
            _("Индивидуальный маршрут строится только для участников «Методического абонемента»."),
            code="not_subscription",
        )
    season_id = enrollment.season_id
    errors: dict[str, ValidationError] = {}
    if form and form not in SubscriptionForm.values:
        errors["form"] = ValidationError(_("Выберите одну из семи форм Методического абонемента."), code="form")
    if module is not None and module.season_id != season_id:
        errors["module"] = ValidationError(
            _("Этот модуль относится к другому сезону, не к сезону участника."), code="other_season"
        )
    if activity is not None and activity.season_id != season_id:
        errors["activity"] = ValidationError(
            _("Это мероприятие относится к другому сезону, не к сезону участника."), code="other_season"
        )
    if session is not None:
        if session.activity.season_id != season_id:
            errors["session"] = ValidationError(
                _("Это занятие относится к другому сезону, не к сезону участника."), code="other_season"
            )
        elif activity is not None and session.activity_id != activity.pk:
            errors["session"] = ValidationError(
                _("Это занятие относится к другому мероприятию: выберите занятие «%(activity)s».")
                % {"activity": activity.title},
                code="other_activity",
            )
    season = enrollment.season
    if planned_on is not None and not (season.starts_on <= planned_on <= season.ends_on):
        errors["planned_on"] = ValidationError(
            _("Дата шага должна быть в пределах сезона: с %(start)s по %(end)s.")
            % {"start": season.starts_on.strftime("%d.%m.%Y"), "end": season.ends_on.strftime("%d.%m.%Y")},
            code="outside_season",
        )
    if status not in RouteItem.Status.values:
        errors["status"] = ValidationError(_("Неизвестный статус шага."), code="status")
    if not errors and not (title or module or activity or session):
        raise ValidationError(
            _("Укажите, что запланировано: название шага, модуль, мероприятие или занятие."), code="empty"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def route_item_add(
    *,
    enrollment: Enrollment,
    form: str = "",
    title: str = "",
    module: RoadmapModule | None = None,
    activity: Activity | None = None,
    session: Session | None = None,
    planned_on: date | None = None,
    note: str = "",
) -> RouteItem:
    """Add a step at the end of the teacher's route; the teacher is told (the route built, or a step added)."""
    # The enrollment's row is locked so two steps added at once never share a place in the order.
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("season__program", "person")
        .get(pk=enrollment.pk)
    )
    title, note = (title or "").strip(), (note or "").strip()
    _route_check(
        enrollment=enrollment,
        form=form,
        title=title,
        module=module,
        activity=activity,
        session=session,
        planned_on=planned_on,
    )
    last = RouteItem.objects.filter(enrollment=enrollment).aggregate(last=Max("order"))["last"]
    item = RouteItem.objects.create(
        enrollment=enrollment,
        order=(last or 0) + 1,
        form=form,
        title=title,
        module=module,
        activity=activity,
        session=session,
        planned_on=planned_on,
        note=note,
    )
    route_step_added_notify(item=item, first=last is None)
    return item


@transaction.atomic
def route_item_update(*, item: RouteItem, **changes) -> RouteItem:
    """Change a step's fields (what, when, note, status — e.g. cancel it); the season's rules still hold.

    What it plans changes only while the step is planned (or is being planned again). Only fields whose value
    really changes are saved, and the teacher is told of them once; a change to nothing saves and tells nothing.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"route_item_update() got unexpected fields: {', '.join(sorted(unknown))}")
    item = (
        RouteItem.objects.select_for_update(of=("self",))
        .select_related("enrollment__season__program", "enrollment__person", "module", "activity", "session__activity")
        .get(pk=item.pk)
    )
    old_status = item.status
    changed = []
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) and name in {"title", "note"} else value
        if value is None and name in {"form", "title", "note"}:
            value = ""
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    if not changed:
        return item
    content = [name for name in changed if name in CONTENT]
    planned = RouteItem.Status.PLANNED
    if content and planned not in (old_status, item.status):
        raise ValidationError(
            _("Изменить можно только запланированный шаг: этот шаг уже «%(status)s».")
            % {"status": RouteItem.Status(old_status).label},
            code="not_planned",
        )
    _route_check(
        enrollment=item.enrollment,
        form=item.form,
        title=item.title,
        module=item.module,
        activity=item.activity,
        session=item.session,
        status=item.status,
        planned_on=item.planned_on if "planned_on" in changed else None,
    )
    item.save(update_fields=changed)
    route_step_changed_notify(item=item, changed=changed, old_status=old_status)
    return item


@transaction.atomic
def route_items_reorder(*, enrollment: Enrollment, ordered_ids: list[int]) -> None:
    """Put the teacher's route in the given order; the ids must be exactly the route's steps."""
    current = list(
        RouteItem.objects.select_for_update()
        .filter(enrollment_id=enrollment.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(current):
        raise ValidationError(
            _("Маршрут изменился, пока вы его переставляли: обновите страницу и повторите."), code="stale"
        )
    items = [RouteItem(pk=pk, order=position) for position, pk in enumerate(ordered_ids, start=1)]
    RouteItem.objects.bulk_update(items, ["order"])
    rows_changed.send(sender=RouteItem)


def route_ordered_ids(enrollment: Enrollment) -> list[int]:
    """The route's step ids in the order the teacher sees them."""
    return list(
        RouteItem.objects.filter(enrollment_id=enrollment.pk)
        .order_by("order", F("planned_on").asc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def route_item_move(*, item: RouteItem, up: bool) -> None:
    """Move a step one place up or down the route (the first stays first, the last stays last)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=item.enrollment_id)
    ids = route_ordered_ids(enrollment)
    at = ids.index(item.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
    route_items_reorder(enrollment=enrollment, ordered_ids=ids)


# --- The form --------------------------------------------------------------------------------------------


class _SeasonChoice(forms.ModelChoiceField):
    def __init__(self, *args, other_season: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = other_season


class RouteItemForm(BoundedDatesMixin, forms.Form):
    """A step of the route: a form of the seven, and a module, activity or session of the teacher's season."""

    form = forms.ChoiceField(
        label=gettext_lazy("Форма"),
        required=False,
        choices=[("", gettext_lazy("— форма не указана —")), *SubscriptionForm.choices],
    )
    title = forms.CharField(
        label=gettext_lazy("Что запланировано"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Если шаг — не мероприятие программы: например, «Разбор урока с наставником»."),
    )
    module = _SeasonChoice(
        queryset=RoadmapModule.objects.none(),
        label=gettext_lazy("Модуль"),
        empty_label=gettext_lazy("— без модуля —"),
        other_season=gettext_lazy("Этот модуль не относится к сезону участника: выберите модуль из списка."),
    )
    activity = _SeasonChoice(
        queryset=Activity.objects.none(),
        label=gettext_lazy("Мероприятие"),
        empty_label=gettext_lazy("— без мероприятия —"),
        other_season=gettext_lazy("Это мероприятие не относится к сезону участника: выберите из списка."),
    )
    session = _SeasonChoice(
        queryset=Session.objects.none(),
        label=gettext_lazy("Занятие"),
        empty_label=gettext_lazy("— без занятия —"),
        other_season=gettext_lazy("Это занятие не относится к сезону участника: выберите из списка."),
    )
    planned_on = forms.DateField(
        label=gettext_lazy("Когда"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Для занятия дата берётся из расписания; укажите, если шаг без занятия."),
        error_messages={"invalid": gettext_lazy("Введите дату в формате ДД.ММ.ГГГГ.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Примечание"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        season = self.season = enrollment.season
        tz = season.tz
        self.fields["module"].queryset = RoadmapModule.objects.filter(season=season).order_by("order", "pk")
        self.fields["activity"].queryset = Activity.objects.filter(season=season).order_by(
            "module__order", "order", "pk"
        )
        self.fields["activity"].label_from_instance = lambda a: f"{a.title} ({a.get_kind_display()})"
        self.fields["session"].queryset = (
            Session.objects.filter(activity__season=season).select_related("activity").order_by("starts_at", "pk")
        )
        self.fields["session"].label_from_instance = lambda s: "{} — {}".format(
            moment_text(s.starts_at, tz, "d.m.Y H:i"), s.title or s.activity.title
        )

    def clean_planned_on(self):
        day = self.cleaned_data.get("planned_on")
        season = self.season
        if day is not None and not (season.starts_on <= day <= season.ends_on):
            raise forms.ValidationError(
                _("Дата шага должна быть в пределах сезона: с %(start)s по %(end)s.")
                % {"start": season.starts_on.strftime("%d.%m.%Y"), "end": season.ends_on.strftime("%d.%m.%Y")},
                code="outside_season",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        activity, session = cleaned.get("activity"), cleaned.get("session")
        if activity is not None and session is not None and session.activity_id != activity.pk:
            self.add_error("session", _("Это занятие относится к другому мероприятию."))
        if not self.errors and not any(cleaned.get(k) for k in ("title", "module", "activity", "session")):
            raise forms.ValidationError(
                _("Укажите, что запланировано: название шага, модуль, мероприятие или занятие.")
            )
        return cleaned

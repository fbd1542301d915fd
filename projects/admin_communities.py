"""The coordinator's admin of the professional communities «ПРОкомьюнити» (сид 001), scoped to the municipality
(docs/decisions/0001). The state «действует» is set by an action through the service, which keeps the five-member
rule (сид 001, сноска: «пяти и более человек»)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, NEUTER, Forms
from programs.admin_mixins import MunicipalityScopedAdmin

from .community_files import validate_community_file
from .models import (
    AcceleratorSupport,
    CascadeTraining,
    Community,
    CommunityMember,
    CommunityReport,
    MotivationScale,
    Practice,
    PracticeRating,
)
from .services_communities import community_organisation_errors, community_status_set

admin_grammar.register(
    Community,
    Forms(
        NEUTER,
        "сообщество",
        accusative="сообщество",
        accusative_plural="сообщества",
        few="сообщества",
        many="сообществ",
    ),
)
admin_grammar.register(
    Practice,
    Forms(
        MASCULINE,
        "материал банка практик",
        accusative="материал банка практик",
        accusative_plural="материалы банка практик",
        few="материала банка практик",
        many="материалов банка практик",
    ),
)
admin_grammar.register(
    PracticeRating,
    Forms(
        FEMININE,
        "оценка материала",
        accusative="оценку материала",
        accusative_plural="оценки материалов",
        few="оценки материалов",
        many="оценок материалов",
    ),
)
admin_grammar.register(
    CascadeTraining,
    Forms(
        NEUTER,
        "каскадное обучение",
        accusative="каскадное обучение",
        accusative_plural="занятия каскадного обучения",
        few="занятия каскадного обучения",
        many="занятий каскадного обучения",
        one="занятие каскадного обучения",
    ),
)
admin_grammar.register(
    AcceleratorSupport,
    Forms(
        NEUTER,
        "сопровождение в «Prof-акселераторе»",
        accusative="сопровождение в «Prof-акселераторе»",
        accusative_plural="сопровождения в «Prof-акселераторе»",
        few="сопровождения в «Prof-акселераторе»",
        many="сопровождений в «Prof-акселераторе»",
    ),
)
admin_grammar.register(
    MotivationScale,
    Forms(
        FEMININE,
        "шкала мотивации сообществ",
        accusative="шкалу мотивации сообществ",
        accusative_plural="шкалы мотивации сообществ",
        few="шкалы мотивации сообществ",
        many="шкал мотивации сообществ",
    ),
)


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["season", "name", "kind", "organisation", "goals", "tasks", "curator", "leader"]

    def clean(self):
        cleaned = super().clean()
        season, curator, leader = cleaned.get("season"), cleaned.get("curator"), cleaned.get("leader")
        if season and curator and curator.season_id != season.pk:
            self.add_error("curator", _("Куратор должен быть специалистом этого сезона."))
        if season and cleaned.get("kind"):
            errors = community_organisation_errors(
                season=season, kind=cleaned["kind"], organisation=cleaned.get("organisation")
            )
            for field, messages_ in errors.items():
                for message in messages_:
                    self.add_error(field, message)
        if leader:
            is_member = (
                self.instance.pk
                and CommunityMember.objects.filter(
                    community=self.instance, enrollment=leader, left_on__isnull=True
                ).exists()
            )
            if not is_member:
                self.add_error(
                    "leader",
                    _("Лидером может быть только действующий участник сообщества: сначала сохраните его в составе."),
                )
        return cleaned


class CommunityMemberFormSet(BaseInlineFormSet):
    def clean(self):
        """A member is a participant of the community's season, as community_member_add has it."""
        super().clean()
        season_id = self.instance.season_id
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            enrollment = data.get("enrollment")
            if data.get("DELETE") or enrollment is None or season_id is None:
                continue
            if enrollment.season_id != season_id:
                form.add_error("enrollment", _("В сообщество входят участники того же сезона."))


class CommunityMemberInline(admin.TabularInline):
    model = CommunityMember
    formset = CommunityMemberFormSet
    extra = 0
    fields = ["enrollment", "role", "joined_on", "left_on"]
    raw_id_fields = ["enrollment"]


class CommunityReportInline(admin.TabularInline):
    model = CommunityReport
    extra = 0
    fields = ["year", "half", "due_on", "submitted_at", "accepted_at"]
    readonly_fields = ["submitted_at", "accepted_at"]


def _status_action(status, label):
    def action(modeladmin, request, queryset):
        done = 0
        for community in queryset.select_related("season__program"):
            try:
                community_status_set(community=community, status=status, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"{community.name}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, gettext("Состояние изменено: %(n)d.") % {"n": done}, messages.SUCCESS)

    action.__name__ = f"mark_{status}"
    return admin.action(description=label)(action)


@admin.register(Community)
class CommunityAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = CommunityForm
    list_display = ["name", "kind", "organisation", "season", "status", "leader", "curator"]
    list_filter = ["status", "kind", "season"]
    search_fields = ["name"]
    list_select_related = ["season__program", "leader__person", "curator__person", "organisation"]
    raw_id_fields = ["leader"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["status"]
    inlines = [CommunityMemberInline, CommunityReportInline]
    actions = [
        _status_action(Community.Status.ACTIVE, _("Отметить действующими (не меньше пяти участников)")),
        _status_action(Community.Status.FORMING, _("Вернуть в «Формируется»")),
        _status_action(Community.Status.CLOSED, _("Отметить завершившими работу")),
    ]


class PracticeAdminForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["community", "author", "kind", "title", "description", "link", "file", "hidden_reason"]

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and hasattr(f, "content_type"):  # a new upload, not the stored file
            validate_community_file(f)
        return f

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("link") and not cleaned.get("file"):
            self.add_error("link", _("Дайте ссылку на материал или приложите файл."))
        return cleaned


@admin.register(Practice)
class PracticeAdmin(MunicipalityScopedAdmin):
    municipality_path = "community__season__program__municipality"
    form = PracticeAdminForm
    list_display = ["title", "community", "author", "kind", "review", "created_at", "hidden_at"]
    list_filter = ["kind", "review", "community"]
    search_fields = ["title", "description"]
    list_select_related = ["community", "author__person"]
    raw_id_fields = ["author"]
    # The review of a mentoring practice goes through its state machine on the project's page
    # (projects.services_trajectory), not through free edits here.
    readonly_fields = ["review", "conclusion", "returned_reason", "reviewed_at", "reviewed_by", "recommended_at"]

    def save_model(self, request, obj, form, change):
        if obj.kind == Practice.Kind.MENTORING and not obj.review:
            obj.review = Practice.Review.SUBMITTED
        elif obj.kind != Practice.Kind.MENTORING and obj.review:
            obj.review, obj.conclusion, obj.returned_reason = "", "", ""
            obj.reviewed_at, obj.reviewed_by, obj.recommended_at = None, None, None
        # A reason given hides the item (the coordinator's note to its author); an emptied reason shows it again.
        if obj.hidden_reason and obj.hidden_at is None:
            obj.hidden_at, obj.hidden_by = timezone.now(), request.user
        elif not obj.hidden_reason:
            obj.hidden_at, obj.hidden_by = None, None
        super().save_model(request, obj, form, change)


@admin.register(PracticeRating)
class PracticeRatingAdmin(MunicipalityScopedAdmin):
    municipality_path = "practice__community__season__program__municipality"
    list_display = ["practice", "rater", "score", "created_at"]
    list_select_related = ["practice", "rater__person"]
    raw_id_fields = ["practice", "rater"]

    def has_add_permission(self, request, *args, **kwargs):
        return False  # a rating is a member's own word, given on the bank page

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CascadeTraining)
class CascadeTrainingAdmin(MunicipalityScopedAdmin):
    municipality_path = "community__season__program__municipality"
    list_display = ["session", "community", "trainer"]
    list_select_related = ["session__activity", "community", "trainer__person"]
    raw_id_fields = ["trainer", "session"]

    def has_add_permission(self, request, *args, **kwargs):
        return False  # scheduled through the service, which creates the activity and invites the trainees


@admin.register(AcceleratorSupport)
class AcceleratorSupportAdmin(MunicipalityScopedAdmin):
    municipality_path = "enrollment__season__program__municipality"
    list_display = ["enrollment", "direction", "companion"]
    list_filter = ["direction"]
    list_select_related = ["enrollment__person", "companion__person"]
    raw_id_fields = ["enrollment"]


@admin.register(MotivationScale)
class MotivationScaleAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["season", "practice_added", "rating_given", "meeting_attended", "group_trained", "active_from"]
    list_select_related = ["season__program"]

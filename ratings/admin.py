from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activities.admin import SubmissionAdmin
from activities.models import Submission
from core import admin_grammar
from core.admin_grammar import FEMININE, NEUTER, PLURAL, Forms
from core.history_admin import AuditHistoryAdmin
from core.points import points_text
from experts.models import ExpertAssignment
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, action_form_response

from .models import Review, ReviewAssignment, ReviewScore, Rubric, RubricCriterion
from .selectors import rubric_maximum
from .services import review_reassign, reviews_release, rubric_revise


def _rubric_used(rubric) -> bool:
    return rubric is not None and rubric.pk is not None and Review.objects.filter(rubric=rubric).exists()


class CriterionInline(admin.StackedInline):
    model = RubricCriterion
    fields = ["order", "title", "description", "max_points", "levels", "weight", "comment_required"]
    extra = 0

    # Criteria of a version reviews were scored with never change: a new version is made instead.
    def has_add_permission(self, request, obj=None):
        return not _rubric_used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _rubric_used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _rubric_used(obj) and super().has_delete_permission(request, obj)


class RubricAdminForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["program", "title", "version", "is_current"]  # the admin narrows them (readonly per row)

    def clean_program(self):
        # A program has one rubric and its versions (version and «current» are not on the form: the database's
        # uniqueness would refuse the row only after the form passed).
        program = self.cleaned_data.get("program")
        if program is not None and self.instance.pk is None and Rubric.objects.filter(program=program).exists():
            raise ValidationError(
                _(
                    "У этой программы уже есть критерии. Чтобы поменять их, выберите действующую версию в списке "
                    "и выполните действие «Создать новую версию критериев»."
                )
            )
        return program


admin_grammar.register(
    Rubric,
    Forms(
        PLURAL,
        "критерии оценки (рубрика)",
        accusative="критерии оценки (рубрику)",
        accusative_plural="критерии оценки (рубрики)",
        few="рубрики критериев оценки",
        many="рубрик критериев оценки",
        one="рубрика критериев оценки",
        one_gender=FEMININE,
    ),
)


@admin.register(Rubric)
class RubricAdmin(MunicipalityScopedAdmin):
    municipality_path = "program__municipality"
    form = RubricAdminForm
    list_display = ["title", "program", "version", "is_current", "created_at"]
    list_filter = ["program", "is_current"]
    list_select_related = ["program"]
    inlines = [CriterionInline]
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["version", "is_current"]
        if _rubric_used(obj):
            return ["program", "title", "version", "is_current"]
        return ["program", "version", "is_current"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if _rubric_used(obj) and request.method == "GET":
            self.message_user(
                request,
                _(
                    "По этой версии критериев уже выставлены оценки, поэтому её нельзя изменить. Чтобы поменять "
                    "критерии, выберите её в списке и выполните действие «Создать новую версию критериев»."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Создать новую версию критериев"))
    def new_version(self, request, queryset):
        for rubric in queryset:
            revised = rubric_revise(rubric=rubric)
            if revised.pk == rubric.pk:
                self.message_user(
                    request,
                    _("«%(rubric)s»: оценок по ней ещё нет — её можно править как есть.") % {"rubric": rubric},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("Создана версия %(version)s критериев «%(title)s»; она стала действующей.")
                    % {"version": revised.version, "title": revised.title},
                    messages.SUCCESS,
                )


class ScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "points", "comment"]
    readonly_fields = ["criterion", "points", "comment"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OverdueFilter(admin.SimpleListFilter):
    title = _("срок проверки")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Просрочены")), ("no", _("В срок"))]

    def queryset(self, request, queryset):
        overdue = {"due_at__lt": timezone.now(), "status": Review.Status.IN_PROGRESS}
        if self.value() == "yes":
            return queryset.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(**overdue)
        return queryset


admin_grammar.register(
    Review,
    Forms(FEMININE, "рецензия", accusative="рецензию", accusative_plural="рецензии", few="рецензии", many="рецензий"),
)


@admin.register(Review)
class ReviewAdmin(AuditHistoryAdmin, MunicipalityScopedAdmin):
    municipality_path = "submission__assignment__activity__season__program__municipality"
    list_display = ["submission", "expert", "status", "score", "due", "started_at", "released_at"]
    list_filter = [
        "status",
        OverdueFilter,
        "submission__assignment__activity__season__program",
        ("submission__assignment__activity__season", SeasonFilter),
    ]
    search_fields = ["submission__topic", "submission__enrollment__person__last_name"]
    list_select_related = ["submission__enrollment__person", "expert__person", "expert__subject"]
    raw_id_fields = ["submission", "expert", "rubric"]
    readonly_fields = ["status", "total_score", "submitted_at", "released_at", "released_by", "due_at"]
    inlines = [ScoreInline]
    actions = ["release"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rubric_max=rubric_maximum())

    @admin.display(description=_("итоговый балл"), ordering="total_score")
    def score(self, obj):
        if obj.total_score is None:
            return "—"
        if not getattr(obj, "rubric_max", None):
            return points_text(obj.total_score)
        return _("%(score)s из %(max)s баллов") % {
            "score": points_text(obj.total_score),
            "max": points_text(obj.rubric_max),
        }

    @admin.display(description=_("срок проверки"), ordering="due_at")
    def due(self, obj):
        if obj.due_at is None:
            return "—"
        text = timezone.localtime(obj.due_at).strftime("%d.%m.%Y")
        if obj.status == Review.Status.IN_PROGRESS and obj.due_at < timezone.now():
            return _("%(date)s — просрочена") % {"date": text}
        return text

    @admin.action(description=_("Опубликовать участникам"))
    def release(self, request, queryset):
        released, skipped = reviews_release(reviews=queryset, by=request.user)
        if released:
            self.message_user(
                request,
                ngettext(
                    "Опубликована %(n)d рецензия: участник видит её в личном кабинете.",
                    "Опубликовано рецензий: %(n)d. Участники видят их в личном кабинете.",
                    released,
                )
                % {"n": released},
                messages.SUCCESS,
            )
        for review, why in skipped:
            self.message_user(
                request, f"«{review.submission.topic}» ({review.expert.person.short_name}): {why}", messages.WARNING
            )


# --- Assigning video lessons to experts ------------------------------------------------------------------


class ReassignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Эксперт"),
        queryset=ExpertAssignment.objects.none(),
        help_text=_("Только действующие эксперты сезона выбранных видеоуроков."),
        error_messages={"required": _("Выберите эксперта.")},
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda a: (
            f"{a.person.full_name} — {a.get_role_display()}"
            + (f" ({a.subject})" if a.subject_id else "")
            + f", {a.season}"
        )


def reassign_page(model_admin, request, submissions, *, item_template: str, queryset):
    """The intermediate page: pick an expert of the lessons' season; on confirm hand the lessons to them."""
    season_ids = set(submissions.values_list("assignment__activity__season_id", flat=True))
    experts = (
        ExpertAssignment.objects.filter(season_id__in=season_ids, is_active=True)
        .select_related("person", "subject", "season__program")
        .order_by("season__program__title", "person__last_name", "person__first_name", "role")
    )
    scope = model_admin._scope(request)
    if scope is not None:
        experts = experts.filter(season__program__municipality_id=scope)
    form = ReassignForm(request.POST if "apply" in request.POST else None, experts=experts)
    if "apply" in request.POST and form.is_valid():
        try:
            changed, skipped = review_reassign(submissions=submissions, expert=form.cleaned_data["expert"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                model_admin.message_user(
                    request,
                    ngettext(
                        "%(n)d видеоурок назначен эксперту %(who)s.",
                        "Видеоуроков назначено эксперту %(who)s: %(n)d.",
                        changed,
                    )
                    % {"n": changed, "who": form.cleaned_data["expert"].person.full_name},
                    messages.SUCCESS,
                )
            for submission, why in skipped:
                model_admin.message_user(
                    request,
                    f"«{submission.topic}» ({submission.enrollment.person.short_name}): {why}",
                    messages.WARNING,
                )
            return None
    return action_form_response(
        model_admin,
        request,
        template="admin/ratings/reassign.html",
        title=_("Назначить видеоуроки эксперту"),
        form=form,
        queryset=queryset,
        item_template=item_template,
        has_experts=experts.exists(),
    )


admin_grammar.register(
    ReviewAssignment,
    Forms(
        NEUTER,
        "назначение на проверку",
        accusative="назначение на проверку",
        accusative_plural="назначения на проверку",
        few="назначения на проверку",
        many="назначений на проверку",
    ),
)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "submission__assignment__activity__season__program__municipality"
    list_display = ["submission", "teacher", "expert", "is_manual", "assigned_at", "reviewed"]
    list_filter = [
        "is_manual",
        "expert__role",
        ("submission__assignment__activity__season", SeasonFilter),
        "submission__status",
    ]
    search_fields = ["submission__topic", "submission__enrollment__person__last_name", "expert__person__last_name"]
    list_select_related = ["submission__enrollment__person", "expert__person", "expert__subject"]
    raw_id_fields = ["submission", "expert"]
    actions = ["reassign"]

    def get_queryset(self, request):
        scored = Review.objects.filter(
            submission=OuterRef("submission"),
            expert=OuterRef("expert"),
            status__in=[Review.Status.SUBMITTED, Review.Status.RELEASED, Review.Status.RETURNED],
        )
        return super().get_queryset(request).annotate(is_reviewed=Exists(scored))

    @admin.display(description=_("Педагог"), ordering="submission__enrollment__person__last_name")
    def teacher(self, obj):
        return obj.submission.enrollment.person.short_name

    @admin.display(description=_("проверено"), boolean=True)
    def reviewed(self, obj):
        return obj.is_reviewed

    @admin.action(description=_("Переназначить видеоуроки другому эксперту"))
    def reassign(self, request, queryset):
        submissions = Submission.objects.filter(pk__in=queryset.values("submission_id"))
        return reassign_page(
            self,
            request,
            submissions,
            item_template="admin/ratings/_assignment_item.html",
            queryset=queryset.select_related("submission__enrollment__person", "expert__person"),
        )


# The video lessons' changelist gets the bulk assignment; activities cannot know ratings, so it is added here.
admin.site.unregister(Submission)


@admin.register(Submission)
class SubmissionWithReviewAdmin(SubmissionAdmin):
    actions = [*(SubmissionAdmin.actions or []), "assign_expert"]

    @admin.action(description=_("Назначить видеоуроки эксперту"))
    def assign_expert(self, request, queryset):
        return reassign_page(
            self,
            request,
            queryset,
            item_template="admin/ratings/_submission_item.html",
            queryset=queryset.select_related("enrollment__person", "assignment__activity__season__program"),
        )


from . import admin_achievements  # noqa: E402,F401  (achievements: registered in their own module)

"""The coordinator's admin of achievements: the same confirm / reject (with a reason) as the expert page."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import admin_grammar
from core.admin_grammar import NEUTER, Forms
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, action_form_response

from .forms_achievements import RejectionForm
from .models import Achievement
from .services import achievement_decide

admin_grammar.register(
    Achievement,
    Forms(
        NEUTER,
        "достижение",
        accusative="достижение",
        accusative_plural="достижения",
        few="достижения",
        many="достижений",
    ),
)


@admin.register(Achievement)
class AchievementAdmin(MunicipalityScopedAdmin):
    municipality_path = "enrollment__season__program__municipality"
    list_display = ["title", "participant", "season", "level", "kind", "happened_on", "status", "proof", "created_at"]
    list_filter = ["status", "level", "kind", ("enrollment__season", SeasonFilter)]
    search_fields = ["title", "enrollment__person__last_name", "enrollment__person__first_name"]
    list_select_related = ["enrollment__person", "enrollment__season__program"]
    date_hierarchy = "created_at"
    raw_id_fields = ["enrollment"]
    actions = ["confirm", "reject"]
    # Decisions go through the actions, so the rating is recomputed and the comment recorded.
    readonly_fields = ["status", "comment", "decided_by", "decided_at", "created_at"]

    @admin.display(description=_("Участник"), ordering="enrollment__person__last_name")
    def participant(self, obj):
        return obj.enrollment.person

    @admin.display(description=_("Сезон"), ordering="enrollment__season")
    def season(self, obj):
        return obj.enrollment.season

    @admin.display(description=_("Подтверждение"))
    def proof(self, obj):
        if obj.proof_file:
            return format_html('<a href="{}">{}</a>', reverse("achievement_proof", args=[obj.pk]), _("файл"))
        if obj.proof_url:
            return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', obj.proof_url, _("ссылка"))
        return "—"

    def _decide(self, request, queryset, confirm: bool, comment: str = ""):
        decided = achievement_decide(achievements=list(queryset), confirm=confirm, comment=comment, by=request.user)
        skipped = queryset.count() - len(decided)
        if decided:
            text = (
                ngettext("Подтверждено достижений: %(n)d.", "Подтверждено достижений: %(n)d.", len(decided))
                if confirm
                else ngettext("Отклонено достижений: %(n)d.", "Отклонено достижений: %(n)d.", len(decided))
            )
            self.message_user(request, text % {"n": len(decided)}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d достижение пропущено: оно уже рассмотрено.",
                    "%(n)d достижений пропущено: они уже рассмотрены.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Подтвердить достижения"), permissions=["change"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Отклонить достижения (с указанием причины)"), permissions=["change"])
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = RejectionForm(request.POST)
            if form.is_valid():
                self._decide(request, queryset, False, form.cleaned_data["comment"])
                return None
        else:
            form = RejectionForm()
        return action_form_response(
            self,
            request,
            template="admin/ratings/achievement/reject_reason.html",
            title=_("Отклонить достижения"),
            form=form,
            queryset=queryset.select_related("enrollment__person"),
        )

"""Pages of «Траектория развития» (сид 001): the project page with the informal mentor communities and the
intensives of each half-year, the bank of mentoring practices with their review, the practices recommended for
contests (XLSX), the monitoring of mentoring forms per school with its dynamics (page, entry form, XLSX).

Who may do what is projects.rules_trajectory: the municipality's coordinators run the project, its management reads,
a director reads their own school's part and enters its monitoring; anyone else is answered 404 like a missing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.import_templates import XLSX_CONTENT_TYPE
from programs.models import Municipality, Season

from . import selectors_trajectory as sel
from . import services_trajectory as services
from .dates import municipality_today
from .exports_trajectory import monitoring_xlsx, recommended_practices_xlsx
from .forms_trajectory import BankFilterForm, MentoringFormsForm, PracticeActionForm, ResubmitForm, parse_half
from .models import Practice
from .models.trajectory import MENTORING_FORMS, MentoringFormsReport
from .rules_school_pairs import director_school_id
from .rules_trajectory import manages_trajectory

READ, RUN, ENTER = "projects.read_trajectory", "projects.run_trajectory", "projects.enter_mentoring_forms"


class Scope:
    """The reader's municipality, the project's season, and the school a director-only reader is limited to."""

    def __init__(self, request: HttpRequest, perm: str = READ):
        user = request.user
        school = director_school_id(user)
        municipality = None
        if user.municipality_id:
            municipality = Municipality.objects.filter(pk=user.municipality_id).first()
        elif school is not None:
            municipality = Municipality.objects.filter(organisations__pk=school).first()
        elif user.is_superuser:
            municipality = Municipality.objects.filter(programs__slug=sel.PROGRAM_SLUG).order_by("pk").first()
        if municipality is None or not user.has_perm(perm, municipality):
            raise Http404
        self.municipality = municipality
        self.can_run = user.has_perm(RUN, municipality)
        reads_all = self.can_run or manages_trajectory(user, municipality)
        self.school_id = None if reads_all else school
        self.seasons = list(sel.trajectory_seasons(municipality).select_related("program__municipality"))
        wanted = request.GET.get("season", "")
        self.season: Season | None = next((s for s in self.seasons if str(s.pk) == wanted), None) or (
            self.seasons[0] if self.seasons else None
        )
        self.today = municipality_today(municipality)

    def season_or_404(self) -> Season:
        if self.season is None:
            raise Http404
        return self.season

    def started_halves(self) -> list[sel.HalfYear]:
        current = sel.half_of(self.today)
        return [h for h in sel.season_half_years(self.season_or_404()) if h <= current]

    def context(self, **extra) -> dict:
        return {
            "municipality": self.municipality,
            "season": self.season,
            "seasons": self.seasons,
            "can_run": self.can_run,
            "school_id": self.school_id,
            **extra,
        }


def _season_query(scope: Scope) -> str:
    return f"?season={scope.season.pk}" if scope.season else ""


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season
    return render(
        request,
        "projects/trajectory/overview.html",
        scope.context(
            intensives=sel.intensive_halves(season, today=scope.today) if season else [],
            communities=list(sel.school_communities(season, organisation_id=scope.school_id)) if season else [],
            season_query=_season_query(scope),
        ),
    )


# --- The bank of mentoring practices (мероприятие 4) ----------------------------------------------------------------


@login_required
@require_safe
def practices(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season_or_404()
    schools = sel.monitoring_schools(scope.municipality)
    if scope.school_id is not None:
        schools = schools.filter(pk=scope.school_id)
    form = BankFilterForm(request.GET or None, schools=schools)
    review, organisation_id = "", scope.school_id
    if form.is_valid():
        review = form.cleaned_data["review"]
        if form.cleaned_data["organisation"] is not None:
            organisation_id = form.cleaned_data["organisation"].pk
    rows = list(sel.mentoring_practices(season, review=review, organisation_id=organisation_id)[:200])
    return render(
        request,
        "projects/trajectory/practices.html",
        scope.context(
            filter_form=form,
            practices=[(p, sel.practice_organisation(p)) for p in rows],
            action_form=PracticeActionForm() if scope.can_run else None,
            season_query=_season_query(scope),
            Review=Practice.Review,
        ),
    )


@login_required
@require_POST
def practice_act(request: HttpRequest, pk: int) -> HttpResponse:
    scope = Scope(request, RUN)
    practice = get_object_or_404(
        Practice.objects.filter(
            kind=Practice.Kind.MENTORING, community__season__program__municipality=scope.municipality
        ),
        pk=pk,
    )
    form = PracticeActionForm(request.POST)
    back = reverse("trajectory_practices") + f"?season={practice.community.season_id}"
    if not form.is_valid():
        messages.error(request, _("Не выбрано действие с практикой."))
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] == "review":
            services.mentoring_practice_review(practice=practice, conclusion=data["conclusion"], by=request.user)
            done = _("Практика «%(t)s» рассмотрена.")
        elif data["action"] == "recommend":
            services.mentoring_practice_recommend(practice=practice, by=request.user)
            done = _("Практика «%(t)s» рекомендована к представлению на конкурсных и иных мероприятиях.")
        else:
            services.mentoring_practice_return(practice=practice, reason=data["reason"], by=request.user)
            done = _("Практика «%(t)s» возвращена автору.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"t": practice.title})
    return redirect(back)


@login_required
@require_POST
def practice_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's own returned practice, reworked and submitted again (from the communities' bank)."""
    practice = get_object_or_404(
        Practice.objects.filter(kind=Practice.Kind.MENTORING, author__person__user=request.user), pk=pk
    )
    form = ResubmitForm(request.POST)
    back = reverse("community_bank", args=[practice.community.season_id])
    if not form.is_valid():
        messages.error(request, _("Опишите практику."))
        return redirect(back)
    try:
        services.mentoring_practice_resubmit(
            practice=practice, description=form.cleaned_data["description"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Практика подана на рассмотрение снова."))
    return redirect(back)


@login_required
@require_safe
def recommended_xlsx(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season_or_404()
    rows = sel.mentoring_practices(season, review=Practice.Review.RECOMMENDED, organisation_id=scope.school_id)
    response = HttpResponse(recommended_practices_xlsx(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="nastavnicheskie-praktiki-{season.pk}.xlsx"'
    return response


# --- The monitoring of mentoring forms (мероприятия 1 и 8) --------------------------------------------------------


def _monitoring_half(request: HttpRequest, scope: Scope) -> tuple[sel.HalfYear, list[sel.HalfYear]]:
    halves = scope.started_halves()
    if not halves:
        raise Http404
    wanted = request.GET.get("half", "")
    half = parse_half(wanted, halves) if wanted else halves[-1]
    if half is None:
        raise Http404
    return half, halves


@login_required
@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season_or_404()
    half, halves = _monitoring_half(request, scope)
    rows = sel.monitoring_half(season, half, organisation_id=scope.school_id)
    return render(
        request,
        "projects/trajectory/monitoring.html",
        scope.context(
            half=half,
            halves=list(reversed(halves)),
            rows=rows,
            missing=[r.organisation for r in rows if r.report is None],
            dynamics=[d for d in sel.monitoring_dynamics(season, organisation_id=scope.school_id) if d.half in halves],
            form_labels=[label for _field, label in MENTORING_FORMS],
            season_query=_season_query(scope),
            can_enter=scope.can_run or scope.school_id is not None,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_enter(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season_or_404()
    halves = scope.started_halves()
    if not halves:
        raise Http404
    if scope.can_run:
        schools = sel.monitoring_schools(scope.municipality)
    elif scope.school_id is not None:
        schools = sel.monitoring_schools(scope.municipality).filter(pk=scope.school_id)
    else:
        raise Http404
    form = MentoringFormsForm(request.POST if request.method == "POST" else None, schools=schools, halves=halves)
    if request.method == "GET":
        half = parse_half(request.GET.get("half", ""), halves) or halves[-1]
        form.initial["half"] = f"{half.year}-{half.half}"
        text = request.GET.get("organisation", "")
        if text.isdecimal() and len(text) <= 12:
            school = schools.filter(pk=int(text)).first()
        else:
            school = schools.first() if scope.school_id is not None else None
        if school is not None:
            form.initial["organisation"] = school.pk
            known = MentoringFormsReport.objects.filter(
                season=season, organisation=school, year=half.year, half=half.half
            ).first()
            if known is not None:
                form.initial.update({f: getattr(known, f) for f, _label in MENTORING_FORMS} | {"note": known.note})
    elif form.is_valid():
        data = form.cleaned_data
        try:
            services.mentoring_forms_report_save(
                season=season,
                organisation=data["organisation"],
                half=data["half"],
                counts=form.counts(),
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(
                request,
                _("Мониторинг школы %(school)s за %(half)s сохранён.")
                % {"school": data["organisation"].short_name, "half": data["half"].short},
            )
            return redirect(
                reverse("trajectory_monitoring") + f"?season={season.pk}&half={data['half'].year}-{data['half'].half}"
            )
    return render(
        request,
        "projects/trajectory/monitoring_enter.html",
        scope.context(form=form, season_query=_season_query(scope)),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def monitoring_download(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    season = scope.season_or_404()
    half, halves = _monitoring_half(request, scope)
    content = monitoring_xlsx(
        half=half,
        rows=sel.monitoring_half(season, half, organisation_id=scope.school_id),
        dynamics=[d for d in sel.monitoring_dynamics(season, organisation_id=scope.school_id) if d.half in halves],
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-form-nastavnichestva-{half.year}-{half.half}.xlsx"'
    )
    return response

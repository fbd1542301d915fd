"""Pages of «Школа – Школе» (сид 001): the pairs of a municipality, a pair with its yearly plan and the dynamics
of both schools, the import of ВПР/ОГЭ/ЕГЭ results, the project's dynamics and the yearly report.

Who may do what is projects.rules_school_pairs: the municipality's coordinators run the project, its management
reads, a director reads their own school's pairs; anyone else is answered 404 like a missing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.dates import year_in_range
from core.import_templates import XLSX_CONTENT_TYPE, import_template_response
from core.tables import MAX_FILE_SIZE, FileProblem
from core.uploads import upload_limited, upload_refusal
from programs.models import Municipality, Organisation, Season

from .dates import municipality_today
from .exports_school_pairs import yearly_report_xlsx
from .forms_school_pairs import PlanItemForm, PlanItemHoldForm, ResultsImportForm, SchoolPairForm
from .imports_school_pairs import TEMPLATE_COLUMNS, assessment_results_import
from .models.school_pairs import SchoolPair
from .rules_school_pairs import director_school_id, manages_pairs_of
from .selectors_school_pairs import dynamics, plan_rows, result_years, school_pair_get, school_pairs, yearly_report
from .services_school_pairs import plan_item_add, plan_item_hold, school_pair_create

READ, RUN = "projects.read_school_pairs", "projects.run_school_pairs"
PROGRAM_SLUG = "shkola-shkole"  # programs/program_templates/_imc_moskovsky.py


def _scope(request: HttpRequest, perm: str = READ) -> tuple[Municipality, int | None]:
    """The reader's municipality and, for a director, their school; 404 for anyone who may not read it."""
    user = request.user
    school = director_school_id(user)
    municipality = None
    if user.is_superuser and request.GET.get("municipality", "").isdecimal():
        municipality = Municipality.objects.filter(pk=int(request.GET["municipality"][:12])).first()
    elif user.is_superuser and not user.municipality_id:
        # A superuser bound to no municipality reads the project's: where the latest pair or the program is.
        municipality = (
            Municipality.objects.filter(programs__seasons__school_pairs__isnull=False)
            .order_by("-programs__seasons__school_pairs__pk")
            .first()
            or Municipality.objects.filter(programs__slug=PROGRAM_SLUG).first()
        )
    elif user.municipality_id:
        municipality = Municipality.objects.filter(pk=user.municipality_id).first()
    elif school is not None:
        municipality = Municipality.objects.filter(organisations__pk=school).first()
    if municipality is None or not user.has_perm(perm, municipality):
        raise Http404
    runs = user.has_perm(RUN, municipality)
    readable_school = school if school is not None and not runs and not manages_pairs_of(user, municipality) else None
    return municipality, readable_school


def _pair_or_404(request: HttpRequest, pk: int, perm: str = READ) -> SchoolPair:
    pair = school_pair_get(pk)
    if pair is None or not request.user.has_perm(perm, pair):
        raise Http404
    return pair


def _seasons(municipality: Municipality):
    """The seasons pairs are made in: the project's program first, then any other season of the municipality."""
    return (
        Season.objects.filter(program__municipality=municipality).select_related("program").order_by("-starts_on", "pk")
    )


def _schools(municipality: Municipality):
    return Organisation.objects.filter(
        municipality=municipality, kind=Organisation.Kind.SCHOOL, is_active=True
    ).order_by("sort_key", "pk")


@login_required
@require_safe
def pair_list(request: HttpRequest) -> HttpResponse:
    municipality, school = _scope(request)
    pairs = list(school_pairs(municipality=municipality, school_id=school))
    return render(
        request,
        "projects/school_pairs/list.html",
        {
            "municipality": municipality,
            "pairs": pairs,
            "can_run": request.user.has_perm(RUN, municipality),
            "years": result_years(municipality=municipality),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_new(request: HttpRequest) -> HttpResponse:
    municipality, _school = _scope(request, RUN)
    seasons = _seasons(municipality)
    form = SchoolPairForm(request.POST or None, seasons=seasons, schools=_schools(municipality))
    if not request.POST:
        project = seasons.filter(program__slug=PROGRAM_SLUG).first()
        if project is not None:
            form.initial["season"] = project.pk
    if request.method == "POST" and form.is_valid():
        try:
            pair = school_pair_create(**form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Пара «%(pair)s» создана.") % {"pair": pair})
            return redirect("school_pair_detail", pair.pk)
    return render(request, "projects/school_pairs/new.html", {"municipality": municipality, "form": form})


def _detail(request: HttpRequest, pair: SchoolPair, *, plan_form=None, hold_form=None, status=200):
    can_run = request.user.has_perm(RUN, pair)
    return render(
        request,
        "projects/school_pairs/detail.html",
        {
            "pair": pair,
            "plan": plan_rows([pair])[pair.pk],
            "dynamics": dynamics(organisations=[pair.partner, pair.leader]),
            "can_run": can_run,
            "plan_form": plan_form or (PlanItemForm() if can_run else None),
            "hold_form": hold_form or (PlanItemHoldForm(pair=pair) if can_run else None),
        },
        status=status,
    )


@login_required
@require_safe
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _pair_or_404(request, pk))


@login_required
@require_POST
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _pair_or_404(request, pk, RUN)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            plan_item_add(pair=pair, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Мероприятие добавлено в план пары."))
            return redirect("school_pair_detail", pair.pk)
    return _detail(request, pair, plan_form=form, status=400)


@login_required
@require_POST
def plan_hold(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _pair_or_404(request, pk, RUN)
    form = PlanItemHoldForm(request.POST, pair=pair)
    if form.is_valid():
        item = form.cleaned_data.pop("item")
        item.pair = pair
        try:
            session = plan_item_hold(item=item, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            invited = session.invited.count()
            messages.success(
                request,
                ngettext(
                    "Мероприятие проведено: приглашён %(n)d педагог обеих школ; отметьте посещаемость занятия.",
                    "Мероприятие проведено: приглашено педагогов обеих школ — %(n)d; отметьте посещаемость занятия.",
                    invited,
                )
                % {"n": invited},
            )
            return redirect("school_pair_detail", pair.pk)
    return _detail(request, pair, hold_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@upload_limited(MAX_FILE_SIZE)
def results_import(request: HttpRequest) -> HttpResponse:
    municipality, _school = _scope(request, RUN)
    posted = request.method == "POST"
    form = ResultsImportForm(
        request.POST if posted else None, request.FILES if posted else None, upload_error=upload_refusal(request)
    )
    report = None
    if posted and form.is_valid():
        try:
            report = assessment_results_import(file=form.cleaned_data["file"], municipality=municipality)
        except FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                messages.success(
                    request,
                    ngettext(
                        "Импортирован %(n)d результат оценочных процедур.",
                        "Импортировано результатов оценочных процедур: %(n)d.",
                        report.created,
                    )
                    % {"n": report.created},
                )
                return redirect("school_pairs_dynamics")
    return render(
        request,
        "projects/school_pairs/import.html",
        {"municipality": municipality, "form": form, "report": report, "template_columns": TEMPLATE_COLUMNS},
        status=400 if report is not None or (posted and form.errors) else 200,
    )


@login_required
@require_safe
def results_template(request: HttpRequest) -> HttpResponse:
    _scope(request, RUN)
    return import_template_response(
        TEMPLATE_COLUMNS,
        title=_("Результаты ВПР, ОГЭ, ЕГЭ школ («Школа – Школе»)"),
        filename="assessment-results-template.xlsx",
    )


@login_required
@require_safe
def project_dynamics(request: HttpRequest) -> HttpResponse:
    municipality, school = _scope(request)
    pairs = list(school_pairs(municipality=municipality, school_id=school))
    schools = []
    for pair in pairs:
        for org in (pair.partner, pair.leader):
            if org not in schools:
                schools.append(org)
    return render(
        request,
        "projects/school_pairs/dynamics.html",
        {"municipality": municipality, "dynamics": dynamics(organisations=schools), "pairs": pairs},
    )


def _report_year(request: HttpRequest, municipality: Municipality) -> int:
    text = request.GET.get("year", "")
    if not text:
        return municipality_today(municipality).year
    if not year_in_range(text):
        raise Http404
    return int(text)


@login_required
@require_safe
def yearly_report_page(request: HttpRequest) -> HttpResponse:
    municipality, school = _scope(request)
    year = _report_year(request, municipality)
    report = yearly_report(municipality=municipality, year=year, school_id=school)
    return render(request, "projects/school_pairs/report.html", {"report": report, "year": year})


@login_required
@require_safe
def yearly_report_download(request: HttpRequest) -> HttpResponse:
    municipality, school = _scope(request)
    year = _report_year(request, municipality)
    content = yearly_report_xlsx(yearly_report(municipality=municipality, year=year, school_id=school))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="shkola-shkole-{year}.xlsx"'
    return response

"""Pages of the lab of professional competences (сид 001): the district mentor map by theme, a teacher's offer
and request, the organising committee's matching, the yearly express survey and the yearly report.

Who may do what is projects.rules_competence_lab (the object is the municipality, or the director's
organisation); anyone else is answered 404, like a missing page.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.spreadsheets import table_sheet
from programs.models import Municipality

from . import selectors_competence_lab as sel
from .dates import municipality_today
from .forms_competence_lab import (
    LearnerRequestForm,
    MatchForm,
    MentorOfferForm,
    SurveyAnswerForm,
    SurveyLineFormSet,
    SurveyOpenForm,
)
from .models.competence_lab import LabSurvey, MentorOffer
from .rules_competence_lab import person_of
from .services_competence_lab import (
    SurveyLine,
    lab_survey_answer,
    lab_survey_close,
    lab_survey_open,
    learner_request_create,
    learner_request_match,
    mentor_offer_create,
    mentor_offer_decide,
)

VIEW, TAKE_PART, RUN, READ = (
    "projects.view_lab_map",
    "projects.take_part_in_lab",
    "projects.run_lab",
    "projects.read_lab_reports",
)


def _municipality(request: HttpRequest, pk: int, perm: str) -> Municipality:
    municipality = Municipality.objects.filter(pk=pk).first()
    if municipality is None or not request.user.has_perm(perm, municipality):
        raise Http404
    return municipality


def _field_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_safe
def lab_map(request: HttpRequest, municipality_pk: int) -> HttpResponse:
    """The district map of mentors by theme; the map by mentor (experts' admin) stays as it is."""
    municipality = _municipality(request, municipality_pk, VIEW)
    may_run = request.user.has_perm(RUN, municipality)
    person = person_of(request.user)
    context = {
        "municipality": municipality,
        "themes": sel.lab_theme_map(municipality.pk, today=municipality_today(municipality)),
        "may_run": may_run,
        "may_take_part": request.user.has_perm(TAKE_PART, municipality),
        "may_read_reports": request.user.has_perm(READ, municipality),
        "proposed": sel.proposed_offers(municipality.pk) if may_run else [],
        # Contacts only to the committee, and to a learner for their own mentors.
        "contact_ids": None if may_run else sel.matched_mentor_ids(person.pk if person else None),
        "year": municipality_today(municipality).year,
        # A director sees the express surveys their organisation is asked to answer.
        "director_surveys": (
            sel.director_open_surveys(person.organisation)
            if person is not None
            and person.organisation is not None
            and request.user.has_perm("projects.answer_lab_survey", person.organisation)
            and person.organisation.municipality_id == municipality.pk
            else []
        ),
    }
    return render(request, "projects/competence_lab/map.html", context)


def _person_form_view(request, municipality_pk, form_class, create, template, done):
    municipality = _municipality(request, municipality_pk, TAKE_PART)
    person = person_of(request.user)
    if person is None:  # a superuser without a person record takes no part
        raise Http404
    form = form_class(request.POST or None, municipality_id=municipality.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            create(person=person, **data)
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("lab_map", municipality.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"municipality": municipality, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_offer_new(request: HttpRequest, municipality_pk: int) -> HttpResponse:
    return _person_form_view(
        request,
        municipality_pk,
        MentorOfferForm,
        mentor_offer_create,
        "projects/competence_lab/offer_form.html",
        _("Предложение отправлено в оргкомитет лаборатории: после одобрения вы появитесь на карте наставников."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_request_new(request: HttpRequest, municipality_pk: int) -> HttpResponse:
    return _person_form_view(
        request,
        municipality_pk,
        LearnerRequestForm,
        learner_request_create,
        "projects/competence_lab/request_form.html",
        _("Запрос принят: оргкомитет лаборатории подберёт вам наставника."),
    )


@login_required
@require_POST
def lab_offer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    offer = MentorOffer.objects.select_related("theme__municipality").filter(pk=pk).first()
    if offer is None or not request.user.has_perm(RUN, offer.theme.municipality):
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Выберите решение: одобрить или отклонить."))
        return redirect("lab_map", offer.theme.municipality_id)
    try:
        mentor_offer_decide(offer=offer, approve=decision == "approve", by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Наставник «%(name)s» одобрен.") % {"name": offer.person}
            if decision == "approve"
            else _("Предложение «%(name)s» отклонено.") % {"name": offer.person},
        )
    return redirect("lab_map", offer.theme.municipality_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_request_match(request: HttpRequest, pk: int) -> HttpResponse:
    learner_request = sel.open_request_get(pk)
    if learner_request is None:
        raise Http404
    municipality = Municipality.objects.get(pk=learner_request.theme.municipality_id)
    if not request.user.has_perm(RUN, municipality):
        raise Http404
    today = municipality_today(municipality)
    suggestions = sel.match_suggestions(learner_request, today=today)
    form = MatchForm(request.POST or None, suggestions=suggestions, initial={"started_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            learner_request_match(
                request=learner_request,
                offer=form.cleaned_data["offer"],
                started_on=form.cleaned_data["started_on"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("Наставник подобран: пара появилась на карте наставников."))
            return redirect("lab_map", municipality.pk)
    context = {
        "municipality": municipality,
        "learner_request": learner_request,
        "suggestions": suggestions,
        "form": form,
    }
    return render(
        request,
        "projects/competence_lab/match.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_surveys(request: HttpRequest, municipality_pk: int) -> HttpResponse:
    """The coordinator opens the year's express survey; management reads who has answered."""
    municipality = _municipality(request, municipality_pk, READ)
    may_run = request.user.has_perm(RUN, municipality)
    form = SurveyOpenForm(request.POST or None, initial={"year": municipality_today(municipality).year})
    if request.method == "POST":
        if not may_run:
            raise Http404
        if form.is_valid():
            try:
                survey = lab_survey_open(
                    municipality=municipality, year=form.cleaned_data["year"], by=request.user, now=timezone.now()
                )
            except ValidationError as error:
                _field_errors(form, error)
            else:
                messages.success(request, _("Экспресс-опрос %(year)s года открыт.") % {"year": survey.year})
                return redirect("lab_survey_summary", survey.pk)
    context = {
        "municipality": municipality,
        "surveys": sel.lab_surveys(municipality.pk),
        "form": form if may_run else None,
    }
    return render(
        request, "projects/competence_lab/surveys.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_safe
def lab_survey_summary(request: HttpRequest, pk: int) -> HttpResponse:
    survey = LabSurvey.objects.select_related("municipality").filter(pk=pk).first()
    if survey is None or not request.user.has_perm(READ, survey.municipality):
        raise Http404
    rows = sel.survey_summary(survey)
    context = {
        "survey": survey,
        "rows": rows,
        "answered": sum(1 for r in rows if r.answer is not None),
        "may_close": survey.is_open and request.user.has_perm(RUN, survey.municipality),
    }
    return render(request, "projects/competence_lab/survey_summary.html", context)


@login_required
@require_POST
def lab_survey_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The organising committee closes the year's survey once the organisations have answered (мероприятие 3:
    «Экспресс-опрос ДОУ … ежегодно»); a closed survey takes no more answers."""
    survey = LabSurvey.objects.select_related("municipality").filter(pk=pk).first()
    if survey is None or not request.user.has_perm(RUN, survey.municipality):
        raise Http404
    if not survey.is_open:
        messages.info(request, _("Экспресс-опрос %(year)s года уже закрыт.") % {"year": survey.year})
    else:
        lab_survey_close(survey=survey, by=request.user, now=timezone.now())
        messages.success(
            request, _("Экспресс-опрос %(year)s года закрыт: ответы больше не принимаются.") % {"year": survey.year}
        )
    return redirect("lab_survey_summary", survey.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lab_survey_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A director answers the year's survey for their own organisation, once."""
    survey = LabSurvey.objects.select_related("municipality").filter(pk=pk).first()
    person = person_of(request.user)
    organisation = person.organisation if person else None
    if (
        survey is None
        or organisation is None
        or organisation.municipality_id != survey.municipality_id
        or not request.user.has_perm("projects.answer_lab_survey", organisation)
    ):
        raise Http404
    answered = survey.answers.filter(organisation=organisation).first()
    form = SurveyAnswerForm(request.POST or None)
    lines = SurveyLineFormSet(request.POST or None, form_kwargs={"organisation": organisation}, prefix="lines")
    if request.method == "POST" and answered is None and survey.is_open and form.is_valid() and lines.is_valid():
        chosen = [
            SurveyLine(
                kind=f.cleaned_data["kind"],
                person=f.cleaned_data["person"],
                theme=f.cleaned_data["theme"],
                format=f.cleaned_data.get("format") or "",
                capacity=f.cleaned_data.get("capacity"),
            )
            for f in lines.forms
            if f.cleaned_data.get("kind")
        ]
        try:
            lab_survey_answer(
                survey=survey,
                organisation=organisation,
                lines=chosen,
                comment=form.cleaned_data["comment"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("Спасибо! Ответ организации на экспресс-опрос принят."))
            return redirect("lab_survey_answer", survey.pk)
    elif request.method == "POST" and (answered is not None or not survey.is_open):
        form.add_error(None, _("Организация уже ответила на этот опрос.") if answered else _("Опрос закрыт."))
    context = {
        "survey": survey,
        "organisation": organisation,
        "answered": answered,
        "form": form,
        "lines": lines,
    }
    return render(
        request,
        "projects/competence_lab/survey_answer.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def lab_report_xlsx(request: HttpRequest, municipality_pk: int, year: int) -> HttpResponse:
    """The yearly report (мероприятие 10: «Оформление отчетной документации … ежегодно до 01.06»)."""
    municipality = _municipality(request, municipality_pk, READ)
    if not 1900 <= year <= 2100:
        raise Http404
    data = sel.lab_year_report(municipality.pk, year)
    from openpyxl import Workbook

    book = Workbook()
    sheets = [
        (
            _("Темы"),
            [_("Тема"), _("Уровень"), _("На карте"), _("Из примерного перечня")],
            [[t.title, t.get_level_display(), t.is_active, t.is_example] for t in data.themes],
        ),
        (
            _("Наставники"),
            [_("Тема"), _("Наставник"), _("Организация"), _("Формат"), _("Мест"), _("Учеников"), _("Статус")],
            [
                [
                    o.theme.title,
                    o.person.full_name,
                    str(o.organisation or ""),
                    o.get_format_display(),
                    o.capacity,
                    o.matched,
                    o.get_status_display(),
                ]
                for o in data.offers
            ],
        ),
        (
            _("Запросы и пары"),
            [
                _("Тема"),
                _("Ученик"),
                _("Организация"),
                _("Подан"),
                _("Статус"),
                _("Наставник"),
                _("Пара с"),
                _("Встреч за год"),
            ],
            [
                [
                    r.theme.title,
                    r.person.full_name,
                    str(r.organisation or ""),
                    r.created_at,
                    r.get_status_display(),
                    r.offer.person.full_name if r.offer_id else "",
                    r.pair.started_on if r.pair_id else None,
                    data.meetings.get(r.pair_id, 0) if r.pair_id else None,
                ]
                for r in data.requests
            ],
        ),
    ]
    book.remove(book.active)
    used: set[str] = set()
    for title, header, rows in sheets:
        table_sheet(book, used, title, header, rows, widths=(30,) * len(header))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="lab-{year}.xlsx"'
    return response

"""The project office's pages (сид 001, «ИМЦ – офис инициации и управления проектами»): the registry, a project's
page with the form that records a stage's or an event's state, and the reports (HTML and XLSX) per project and for
the whole cascade.

Who may do what is projects.rules_office (the object is the project's municipality): coordinators record states,
management reads, anyone else is answered 404 like a missing page (docs/decisions/0001).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs.models import Municipality

from .dates import municipality_today
from .filters_office import OfficeRegistryFilterSet
from .forms_office import WorkStateForm
from .models.office import Project, ProjectEvent, ProjectStage
from .selectors_office import office_cascade, office_intensive_gaps, office_project_get, office_projects, project_rows
from .services_office import project_item_state_set

READ, EDIT = "projects.read_office", "projects.edit_office"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project_or_404(request: HttpRequest, pk: int, perm: str = READ) -> Project:
    project = office_project_get(pk)
    if project is None or not request.user.has_perm(perm, project.municipality):
        raise Http404
    return project


def _registry_filters(request: HttpRequest) -> OfficeRegistryFilterSet:
    """A superuser chooses any municipality; everyone else reads their own or is answered 404."""
    user = request.user
    if user.is_superuser:
        readable = Municipality.objects.order_by("name")
        home = readable.filter(pk=user.municipality_id).first() if user.municipality_id else readable.first()
    else:
        home = Municipality.objects.filter(pk=user.municipality_id).first() if user.municipality_id else None
        if home is None or not user.has_perm(READ, home):
            raise Http404
        readable = Municipality.objects.filter(pk=home.pk)
    return OfficeRegistryFilterSet(request.GET or None, municipalities=readable, default=home, today=None)


def _projects_page(request: HttpRequest):
    filters = _registry_filters(request)
    municipality = filters.shown_municipality
    if municipality is None:
        raise Http404
    filters.today = today = municipality_today(municipality)
    filters.queryset = office_projects(municipality, today=today)
    return filters, municipality, today


@login_required
@require_safe
def office_registry(request: HttpRequest) -> HttpResponse:
    filters, municipality, today = _projects_page(request)
    projects = list(filters.qs)
    gaps = office_intensive_gaps(projects, today=today)
    for project in projects:
        project.current_stages = [s for s in project.stages.all() if s.starts_on <= today <= s.ends_on]
        project.intensive_gaps = gaps.get(project.pk, [])
    return render(
        request,
        "projects/office/registry.html",
        {
            "filters": filters,
            "municipality": municipality,
            "projects": projects,
            "today": today,
            "choices": list(filters.filters["municipality"].queryset) if request.user.is_superuser else [],
        },
    )


def _render_project(request, project: Project, *, form=None, form_item=None, status=200):
    if form_item is not None:
        # The form that failed shows its errors and the text typed at its own stage or event.
        kind, pk = form_item
        for item in project.stages.all() if kind == "stage" else project.events.all():
            if item.pk == pk:
                item.bound_form = form
    today = municipality_today(project.municipality)
    return render(
        request,
        "projects/office/project.html",
        {
            "project": project,
            "today": today,
            "tally": project_rows([project], today)[0][1],
            "may_edit": request.user.has_perm(EDIT, project.municipality),
            "form": WorkStateForm(),
        },
        status=status,
    )


@login_required
@require_safe
def office_project(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_project(request, _project_or_404(request, pk))


@login_required
@require_POST
def office_item_state(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    project = _project_or_404(request, pk, EDIT)
    model = {"stage": ProjectStage, "event": ProjectEvent}.get(kind)
    if model is None:
        raise Http404
    item = model.objects.filter(pk=item_pk, project=project).first()
    if item is None:
        raise Http404
    form = WorkStateForm(request.POST)
    if form.is_valid():
        try:
            item = project_item_state_set(item=item, state=form.cleaned_data["state"], note=form.cleaned_data["note"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Состояние «%(item)s»: %(state)s.") % {"item": item, "state": item.get_state_display()},
            )
            return redirect("office_project", pk=project.pk)
    return _render_project(request, project, form=form, form_item=(kind, item.pk), status=400)


@login_required
@require_safe
def office_project_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    return _render_report(request, [project], project.municipality, project=project)


def _render_report(request, projects, municipality, *, project=None):
    today = municipality_today(municipality)
    rows = project_rows(projects, today)
    return render(
        request,
        "projects/office/report.html",
        {"rows": rows, "municipality": municipality, "today": today, "project": project},
    )


@login_required
@require_safe
def office_cascade_report(request: HttpRequest) -> HttpResponse:
    filters = _registry_filters(request)
    municipality = filters.shown_municipality
    if municipality is None:
        raise Http404
    return _render_report(request, office_cascade(municipality), municipality)


def _xlsx(projects, municipality, name: str) -> FileResponse:
    from .exports_office import office_xlsx

    file = office_xlsx(projects, today=municipality_today(municipality))
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX)


def _pdf(projects, municipality, name: str, *, project=None) -> HttpResponse:
    from .exports_office import office_pdf

    content = office_pdf(projects, municipality=municipality, today=municipality_today(municipality), project=project)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def office_project_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    return _pdf([project], project.municipality, f"proekt-{project.slug}.pdf", project=project)


@login_required
@require_safe
def office_cascade_pdf(request: HttpRequest) -> HttpResponse:
    filters = _registry_filters(request)
    municipality = filters.shown_municipality
    if municipality is None:
        raise Http404
    return _pdf(office_cascade(municipality), municipality, "kaskad-proektov.pdf")


@login_required
@require_safe
def office_project_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    project = _project_or_404(request, pk)
    return _xlsx([project], project.municipality, f"proekt-{project.slug}.xlsx")


@login_required
@require_safe
def office_cascade_xlsx(request: HttpRequest) -> FileResponse:
    filters = _registry_filters(request)
    municipality = filters.shown_municipality
    if municipality is None:
        raise Http404
    return _xlsx(office_cascade(municipality), municipality, "kaskad-proektov.xlsx")

"""Achievements (the teacher's form, the protected proof, the expert group's queue), the rating-publication
consent and the season's leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from activities.upload_handlers import VideoSizeLimitUploadHandler
from core.protected_files import protected_file_response
from participants.models import Enrollment
from participants.selectors import person_for_user
from participants.views import rating_consent_post
from programs.models import Season

from .achievement_files import CONTENT_TYPES, PROOF_MAX_BYTES
from .forms_achievements import AchievementForm
from .models import Achievement, ParticipantRating
from .rules_achievements import user_is_coordinator
from .selectors_achievements import (
    LEADERBOARD_VIEWER_STATUSES,
    achievements_decidable_by,
    expert_group_season_ids,
    pending_achievements_for,
    rating_name_published,
)
from .services import (
    ACHIEVEMENT_ENROLLMENT_STATUSES,
    achievement_add,
    achievement_decide,
    achievement_delete,
    achievement_update,
)

EXPERT_PAGE_SIZE = 20
LEADERBOARD_SIZE = 100
LEADERBOARD_PAGE_SIZE = 25


def _my_achievements_url() -> str:
    return f"{reverse('cabinet')}#my-achievements"


def _teacher(request: HttpRequest):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return person


def _eligible_enrollments(person):
    return (
        Enrollment.objects.filter(person=person, status__in=ACHIEVEMENT_ENROLLMENT_STATUSES)
        .select_related("season__program")
        .order_by("-season__starts_on", "pk")
    )


def _my_pending(request: HttpRequest, pk: int) -> Achievement:
    """The signed-in teacher's own achievement; another person's (or a guessed id) is 404."""
    person = _teacher(request)
    return get_object_or_404(
        Achievement.objects.select_related("enrollment__season__program"), pk=pk, enrollment__person=person
    )


# --- The teacher's form -----------------------------------------------------------------------------------


@login_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def achievement_create(request: HttpRequest) -> HttpResponse:
    # csrf_exempt here and csrf_protect on the inner view: the size limit must be installed before anything
    # reads request.POST, and the CSRF check reads it (see activities.upload_handlers).
    limit = _install_limit(request)
    return _achievement_form_page(request, None, limit)


@login_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def achievement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    limit = _install_limit(request)
    return _achievement_form_page(request, pk, limit)


def _install_limit(request: HttpRequest) -> VideoSizeLimitUploadHandler | None:
    if request.method != "POST":
        return None
    limit = VideoSizeLimitUploadHandler(request, max_bytes=PROOF_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return limit


@csrf_protect
def _achievement_form_page(request: HttpRequest, pk: int | None, limit) -> HttpResponse:
    person = _teacher(request)
    achievement = _my_pending(request, pk) if pk is not None else None
    if achievement is not None and achievement.status != Achievement.Status.PENDING:
        messages.warning(request, _("Достижение уже рассмотрено экспертом, изменить его нельзя."))
        return redirect(_my_achievements_url())
    enrollments = _eligible_enrollments(person)
    if achievement is not None:
        enrollments = enrollments.filter(pk=achievement.enrollment_id)
    if not enrollments.exists():
        if achievement is None:
            return render(request, "ratings/achievements/not_participant.html", status=200)
        raise Http404
    form_kwargs = {"enrollments": enrollments, "has_file": bool(achievement and achievement.proof_file)}
    if request.method == "POST":
        data, files = request.POST, request.FILES  # parsing the body is what runs the size limit
        form_kwargs["upload_error"] = limit.exceeded_message if limit and limit.exceeded else None
        form = AchievementForm(data, files, **form_kwargs)
        if form.is_valid():
            cleaned = form.cleaned_data
            fields = {
                "title": cleaned["title"],
                "kind": cleaned["kind"],
                "level": cleaned["level"],
                "result": cleaned["result"],
                "happened_on": cleaned["happened_on"],
                "proof_url": cleaned["proof_url"],
                "proof_file": cleaned["proof_file"] or None,
            }
            try:
                if achievement is None:
                    achievement_add(enrollment=cleaned["enrollment"], **fields)
                else:
                    achievement_update(achievement=achievement, remove_file=cleaned.get("remove_file", False), **fields)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Достижение сохранено и отправлено экспертной группе на проверку.")
                    if achievement is None
                    else _("Изменения сохранены."),
                )
                return redirect(_my_achievements_url())
    else:
        initial = {}
        if achievement is not None:
            initial = {
                "enrollment": achievement.enrollment_id,
                "title": achievement.title,
                "kind": achievement.kind,
                "level": achievement.level,
                "result": achievement.result,
                "happened_on": achievement.happened_on,
                "proof_url": achievement.proof_url,
            }
        elif request.GET.get("enrollment", "").isdecimal():  # isdigit() passes «²», which int() refuses
            initial = {"enrollment": int(request.GET["enrollment"])}
        form = AchievementForm(initial=initial, **form_kwargs)
    return render(
        request,
        "ratings/achievements/form.html",
        {"form": form, "achievement": achievement, "max_bytes": PROOF_MAX_BYTES},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def achievement_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _my_pending(request, pk)
    if achievement.status != Achievement.Status.PENDING:
        messages.warning(request, _("Достижение уже рассмотрено экспертом, удалить его нельзя."))
        return redirect(_my_achievements_url())
    if request.method == "POST":
        try:
            achievement_delete(achievement=achievement)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Достижение «%(title)s» удалено.") % {"title": achievement.title})
        return redirect(_my_achievements_url())
    return render(request, "ratings/achievements/confirm_delete.html", {"achievement": achievement})


# --- The proof file -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def achievement_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded proof, to its owner, the season's expert group and coordinators only; 404 for anyone else."""
    achievement = get_object_or_404(
        Achievement.objects.select_related("enrollment__person", "enrollment__season__program").exclude(proof_file=""),
        pk=pk,
    )
    if not request.user.has_perm("ratings.view_achievement_proof", achievement):
        raise Http404
    extension = achievement.proof_file.name.rsplit(".", 1)[-1].lower()
    try:
        # Images open in the browser; a PDF is downloaded, as the sandbox below would stop the browser's viewer.
        response = protected_file_response(
            request,
            achievement.proof_file,
            as_attachment=extension == "pdf",
            filename=f"achievement-{achievement.pk}.{extension}",
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
    except FileNotFoundError:
        raise Http404 from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- The expert group's queue -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def expert_achievements(request: HttpRequest) -> HttpResponse:
    """Pending achievements of the seasons where the user is in the expert group (or coordinates): confirm or
    reject one with its own comment, or several ticked at once with one comment."""
    user = request.user
    is_expert = expert_group_season_ids(user).exists()
    if not (is_expert or user.is_superuser or user_is_coordinator(user)):
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        outcome = _decide_from_post(request, errors)
        if outcome is not None:
            return outcome
    queue = pending_achievements_for(user)
    page = Paginator(queue, EXPERT_PAGE_SIZE).get_page(request.GET.get("page"))
    # What the expert typed survives an error: each row's comment and tick, and the bulk comment.
    post = request.POST if request.method == "POST" else {}
    ticked = set(request.POST.getlist("ids")) if post else set()
    items = list(page.object_list)
    for item in items:
        item.typed_comment = post.get(f"comment_{item.pk}", "")
        item.comment_error = errors.get(f"comment_{item.pk}", "")
        item.ticked = str(item.pk) in ticked
    return render(
        request,
        "ratings/achievements/expert_list.html",
        {
            "page": page,
            "items": items,
            "errors": errors,
            "bulk_comment": post.get("bulk_comment", ""),
        },
        status=400 if errors else 200,
    )


def _row_id(value: str) -> bool:
    # isdigit() passes «²», which the lookup refuses; forty digits overflow SQLite's integer in an IN (…).
    return value.isdecimal() and len(value) <= 18


def _decide_from_post(request: HttpRequest, errors: dict[str, str]) -> HttpResponse | None:
    post = request.POST
    single = post.get("confirm_one") or post.get("reject_one")
    if single:
        confirm = "confirm_one" in post
        ids = [single] if _row_id(single) else []
        comment = post.get(f"comment_{single}", "")
        error_key = f"comment_{single}"
    else:
        confirm = "bulk_confirm" in post
        if not confirm and "bulk_reject" not in post:
            return redirect(request.get_full_path())
        ids = [v for v in post.getlist("ids") if _row_id(v)]
        comment = post.get("bulk_comment", "")
        error_key = "bulk_comment"
        if not ids:
            errors["bulk"] = _("Отметьте достижения, которые нужно подтвердить или отклонить.")
            return None
    targets = list(achievements_decidable_by(request.user).filter(pk__in=ids).only("pk"))
    try:
        decided = achievement_decide(achievements=targets, confirm=confirm, comment=comment, by=request.user)
    except ValidationError as exc:
        errors[error_key] = " ".join(exc.messages)
        return None
    if decided:
        text = (
            ngettext("Подтверждено достижений: %(n)d.", "Подтверждено достижений: %(n)d.", len(decided))
            if confirm
            else ngettext("Отклонено достижений: %(n)d.", "Отклонено достижений: %(n)d.", len(decided))
        )
        messages.success(request, text % {"n": len(decided)})
    else:
        messages.warning(request, _("Эти достижения уже рассмотрены."))
    return redirect(request.get_full_path())


# --- The rating: consent and leaderboard -------------------------------------------------------------------


@login_required
@require_POST
def rating_consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw the consent to show my name in the rating, from the cabinet's rating section."""
    return rating_consent_post(request, back=f"{reverse('cabinet')}#cabinet-rating")


def _leaderboard_access(user, season: Season) -> Enrollment | bool:
    """The viewer's own enrollment, True for the season's experts and coordinators, False for anyone else."""
    if user.is_superuser:
        return True
    if user_is_coordinator(user) and user.municipality_id == season.program.municipality_id:
        return True
    person = person_for_user(user)
    if person is None:
        return False
    own = Enrollment.objects.filter(person=person, season=season, status__in=LEADERBOARD_VIEWER_STATUSES).first()
    if own is not None:
        return own
    return person.expert_assignments.filter(season=season, is_active=True).exists()


@login_required
def leaderboard(request: HttpRequest, slug: str, season_id: int) -> HttpResponse:
    """The season's top 100, visible to its participants, experts and coordinators; a name only with consent."""
    season = get_object_or_404(Season.objects.select_related("program"), pk=season_id, program__slug=slug)
    access = _leaderboard_access(request.user, season)
    if access is False:
        raise Http404
    rows = (
        ParticipantRating.objects.filter(season=season, rank__isnull=False)
        .select_related("enrollment__person__organisation")
        .annotate(published=rating_name_published())
        .order_by("rank", "enrollment_id")[:LEADERBOARD_SIZE]
    )
    page = Paginator(rows, LEADERBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    own = access if isinstance(access, Enrollment) else None
    my_rating = ParticipantRating.objects.filter(enrollment=own).first() if own is not None else None
    return render(
        request,
        "ratings/leaderboard.html",
        {"season": season, "page": page, "own": own, "my_rating": my_rating, "size": LEADERBOARD_SIZE},
    )

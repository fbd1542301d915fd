"""The signed-in person's notifications: the list, marking one read (and following its link), marking all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.models import Notification
from core.notifications import notification_read, notifications_read_all

from .rules import is_notification_recipient

NOTIFICATIONS_PER_PAGE = 50


def local_url(url: str) -> str | None:
    """The notification's link when it stays on this site (a path such as /cabinet/videos/3/), else None."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return None
    return url


@never_cache
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Newest first; unread ones stand out. The unread count comes with the user row (no query)."""
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.local_url = local_url(notification.url)
    return render(request, "participants/notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go where it points; another person's id answers 404."""
    notification = Notification.objects.filter(pk=notification_id).only("pk", "user_id", "url").first()
    # The predicate itself, not has_perm: a superuser has every permission, yet not other people's notifications.
    if not is_notification_recipient(request.user, notification):
        raise Http404
    notification_read(user=request.user, notification_id=notification.pk)
    return redirect(local_url(notification.url) or "notifications")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = notifications_read_all(user=request.user)
    if changed:
        messages.success(request, _("Все уведомления отмечены прочитанными."))
    return redirect("notifications")

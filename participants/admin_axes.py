"""The sign-in lock-outs (django-axes) in the admin, limited like the accounts admin: a coordinator sees the failed
attempts and lock-outs for the accounts of their municipality only — e-mails and client addresses of another
district are personal data they have no need for. Superusers see all; staff without a municipality see none."""

import axes.admin as axes_admin  # registers axes' own admins first, so they can be replaced below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import admin_grammar
from core.admin_grammar import FEMININE, Forms
from core.admin_mixins import BoundedDatesAdminMixin, ZonedMomentsAdminMixin
from programs.admin_mixins import admin_scope

from .admin import _users_of_municipality
from .models import User


def _scoped(queryset, request):
    scope = admin_scope(request.user)
    if scope is None:
        return queryset
    # Axes stores the e-mail as typed at sign-in, lower-cased (core.throttling.sign_in_username).
    return queryset.filter(username__in=User.objects.filter(_users_of_municipality(scope)).values("email"))


class ScopedAccessAttemptAdmin(ZonedMomentsAdminMixin, BoundedDatesAdminMixin, axes_admin.AccessAttemptAdmin):
    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)

    # Replaces axes' own action of the same name, which deletes every account's expired attempts whatever was
    # selected, and fails (500) outside a sign-in request, the only one carrying the time it reads.
    @admin.action(description=_("Удалить истёкшие блокировки среди выбранных"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        threshold = timezone.now() - settings.AXES_COOLOFF_TIME
        count, _per_model = queryset.filter(attempt_time__lte=threshold).delete()
        self.message_user(
            request,
            ngettext("Удалена %(n)d истёкшая блокировка.", "Удалено истёкших блокировок: %(n)d.", count) % {"n": count},
            messages.SUCCESS,
        )


class ScopedAccessFailureLogAdmin(ZonedMomentsAdminMixin, BoundedDatesAdminMixin, axes_admin.AccessFailureLogAdmin):
    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)


class ScopedAccessLogAdmin(ZonedMomentsAdminMixin, BoundedDatesAdminMixin, axes_admin.AccessLogAdmin):
    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)


for model, model_admin in (
    (AccessAttempt, ScopedAccessAttemptAdmin),
    (AccessFailureLog, ScopedAccessFailureLogAdmin),
    (AccessLog, ScopedAccessLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)

admin_grammar.register(
    AccessLog,
    Forms(
        FEMININE,
        "запись о доступе",
        accusative="запись о доступе",
        accusative_plural="записи о доступе",
        few="записи о доступе",
        many="записей о доступе",
    ),
)

admin_grammar.register(
    AccessFailureLog,
    Forms(
        FEMININE,
        "ошибка доступа",
        accusative="ошибку доступа",
        accusative_plural="ошибки доступа",
        few="ошибки доступа",
        many="ошибок доступа",
    ),
)

admin_grammar.register(
    AccessAttempt,
    Forms(
        FEMININE,
        "запись о попытке доступа",
        accusative="запись о попытке доступа",
        accusative_plural="записи о попытках доступа",
        few="записи о попытках доступа",
        many="записей о попытках доступа",
    ),
)

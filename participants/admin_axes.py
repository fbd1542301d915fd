"""The sign-in lock-outs (django-axes) in the admin, limited like the accounts admin: a coordinator sees the failed
attempts and lock-outs for the accounts of their municipality only — e-mails and client addresses of another
district are personal data they have no need for. Superusers and staff without a municipality see all."""

import axes.admin as axes_admin  # registers axes' own admins first, so they can be replaced below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from programs.admin_dates import BoundedDatesAdminMixin
from programs.admin_mixins import admin_scope

from .admin import _users_of_municipality
from .models import User


def _scoped(queryset, request):
    scope = admin_scope(request.user)
    if scope is None:
        return queryset
    # Axes stores the e-mail as typed at sign-in, lower-cased (participants.throttling.sign_in_username).
    return queryset.filter(username__in=User.objects.filter(_users_of_municipality(scope)).values("email"))


class ScopedAccessAttemptAdmin(BoundedDatesAdminMixin, axes_admin.AccessAttemptAdmin):
    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)


class ScopedAccessFailureLogAdmin(BoundedDatesAdminMixin, axes_admin.AccessFailureLogAdmin):
    def get_queryset(self, request):
        return _scoped(super().get_queryset(request), request)


class ScopedAccessLogAdmin(BoundedDatesAdminMixin, axes_admin.AccessLogAdmin):
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

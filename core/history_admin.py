"""The admin's «История» of a row with an audit trail (core.history), scoped like the rest of the admin."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class _ChoicesShown(HistoricalRecordContextHelper):
    """Changes of a field with choices read as its labels («Опоздал → Отсутствовал»), not the stored codes."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list | dict):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class AuditHistoryAdmin(SimpleHistoryAdmin):
    """A row's history for those who may see the row: a coordinator of another municipality gets 404.

    Read-only: changes go through the services (with their checks and letters), never a revert from history.
    Put before MunicipalityScopedAdmin in the bases, so that `get_queryset` is the scoped one.
    """

    history_list_per_page = 50
    object_history_list_template = "admin/audit_history_list.html"  # Russian, and no links to single versions

    def _visible(self, request, object_id):
        try:
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):  # not an id at all
            raise Http404 from None
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404

    def revert_disabled(self, request, obj=None):
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return _ChoicesShown(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("История изменений: %(object)s") % {"object": obj}

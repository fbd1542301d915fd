"""core.choices: the same label as get_FOO_display(), from a map built once per field."""

from django.template import Context, Template
from django.utils import translation

from activities.models import Activity
from core.choices import choice_label, choice_labels
from participants.models import Enrollment


def test_every_status_reads_as_get_status_display():
    for value, _label in Enrollment.Status.choices:
        enrollment = Enrollment(status=value)
        assert choice_label(enrollment, "status") == enrollment.get_status_display()


def test_an_unknown_value_reads_as_itself_like_get_display():
    enrollment = Enrollment(status="no-such-status")
    assert choice_label(enrollment, "status") == "no-such-status" == enrollment.get_status_display()


def test_the_map_is_built_once_and_labels_follow_the_active_language():
    assert choice_labels(Activity, "kind") is choice_labels(Activity, "kind")
    activity = Activity(kind=Activity._meta.get_field("kind").choices[0][0])
    with translation.override("ru"):
        russian = choice_label(activity, "kind")
        assert russian == activity.get_kind_display()
    with translation.override("en"):
        assert choice_label(activity, "kind") == activity.get_kind_display()


def test_the_template_filter_renders_the_label():
    enrollment = Enrollment(status=Enrollment.Status.EXCLUDED)
    with translation.override("ru"):
        html = Template('{% load choices %}{{ e|choice_label:"status" }}').render(Context({"e": enrollment}))
    assert html == "Исключён"


def test_the_template_filter_shows_nothing_for_no_object_like_a_variable_lookup():
    # {{ job.last_run.get_trigger_display }} showed nothing before the job's first run; so does the filter.
    template = Template('{% load choices %}[{{ run|choice_label:"trigger" }}][{{ missing|choice_label:"status" }}]')
    assert template.render(Context({"run": None})) == "[][]"


def test_the_template_filter_follows_the_language_of_the_page():
    enrollment = Enrollment(status=Enrollment.Status.EXCLUDED)
    template = Template('{% load choices %}{{ e|choice_label:"status" }}')
    with translation.override("en"):
        english = template.render(Context({"e": enrollment}))
        assert english == enrollment.get_status_display() == "Excluded"

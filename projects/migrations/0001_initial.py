# The app's first migration: the cascade's parts add their tables in the migrations that follow.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programs", "0010_organisation_sort_key"),
        ("participants", "0018_person_gender"),
        ("experts", "0008_mentoring_meeting"),
        ("activities", "0013_bucket_upload"),
    ]

    operations = []

from django.db import migrations


class Migration(migrations.Migration):

    # The models are core's now (core 0001 took them over with their tables): participants only forgets them.
    dependencies = [
        ('participants', '0016_staff_roster'),
        ('core', '0001_from_participants'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='backgroundjob',
                    name='started_by',
                ),
                migrations.DeleteModel(
                    name='JobRun',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='TaskOutbox',
                ),
                migrations.DeleteModel(
                    name='BackgroundJob',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
            ],
        ),
    ]

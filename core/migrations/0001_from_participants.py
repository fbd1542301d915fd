"""The notification list and e-mail outbox, the job log, the long jobs and the task outbox move from participants
to core, their data where it was."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    # The tables were created by participants' migrations and keep their names (Meta.db_table): this migration
    # only tells Django the models are core's now; participants 0017 forgets them on its side.
    dependencies = [
        ('participants', '0016_staff_roster'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='JobRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('job', models.CharField(db_index=True, max_length=64, verbose_name='задача')),
                        ('trigger', models.CharField(choices=[('schedule', 'По расписанию'), ('command', 'Команда оператора'), ('manual', 'Запущено координатором')], default='schedule', max_length=16, verbose_name='запуск')),
                        ('status', models.CharField(choices=[('running', 'Выполняется'), ('success', 'Выполнено'), ('failed', 'Ошибка'), ('skipped', 'Пропущено: уже выполняется')], default='running', max_length=16, verbose_name='состояние')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='начало')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='окончание')),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='итоги')),
                        ('message', models.TextField(blank=True, verbose_name='что сделано')),
                        ('error', models.TextField(blank=True, verbose_name='ошибка')),
                    ],
                    options={
                        'verbose_name': 'запуск фоновой задачи',
                        'verbose_name_plural': 'журнал фоновых задач',
                        'db_table': 'participants_jobrun',
                        'ordering': ['-started_at', '-pk'],
                        'permissions': [('run_jobs', 'Может запускать фоновые задачи вручную')],
                        'indexes': [models.Index(fields=['job', '-started_at'], name='jobrun_job_idx'), models.Index(condition=models.Q(('status', 'running')), fields=['job'], name='jobrun_running_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='TaskOutbox',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('task', models.CharField(max_length=200, verbose_name='задача')),
                        ('kwargs', models.JSONField(blank=True, default=dict, verbose_name='параметры')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='создано')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='передано в очередь')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='попыток')),
                        ('last_error', models.TextField(blank=True, verbose_name='последняя ошибка')),
                    ],
                    options={
                        'verbose_name': 'задача в очереди отправки',
                        'verbose_name_plural': 'задачи в очереди отправки',
                        'db_table': 'participants_taskoutbox',
                        'ordering': ['created_at', 'pk'],
                        'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['created_at'], name='taskoutbox_unsent_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='BackgroundJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=64, verbose_name='вид')),
                        ('task', models.CharField(blank=True, max_length=200, verbose_name='задача Celery')),
                        ('title', models.CharField(max_length=300, verbose_name='название')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='параметры')),
                        ('status', models.CharField(choices=[('queued', 'В очереди'), ('running', 'Выполняется'), ('interrupted', 'Прервано'), ('done', 'Готово'), ('failed', 'Ошибка')], default='queued', max_length=16, verbose_name='состояние')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='всего')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='сделано')),
                        ('message', models.TextField(blank=True, verbose_name='сообщение')),
                        ('result_file', models.FileField(blank=True, upload_to='jobs/%Y/%m/', verbose_name='результат')),
                        ('result_url', models.CharField(blank=True, max_length=500, verbose_name='ссылка на результат')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='создано')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='начато')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='завершено')),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='последний признак жизни')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='попыток')),
                        ('worker', models.CharField(blank=True, max_length=100, verbose_name='обработчик')),
                        ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='background_jobs', to=settings.AUTH_USER_MODEL, verbose_name='кто запустил')),
                    ],
                    options={
                        'verbose_name': 'длительная операция',
                        'verbose_name_plural': 'длительные операции',
                        'db_table': 'participants_backgroundjob',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['started_by', '-created_at'], name='backgroundjob_owner_idx'), models.Index(fields=['status', 'heartbeat_at'], name='backgroundjob_lease_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reminder', 'Напоминание о сроке'), ('risk', 'Предупреждение об исключении'), ('exclusion', 'Исключение и восстановление'), ('certificate', 'Сертификат'), ('job', 'Фоновая задача'), ('info', 'Сообщение')], default='info', max_length=16, verbose_name='вид')),
                        ('title', models.CharField(max_length=300, verbose_name='заголовок')),
                        ('body', models.TextField(blank=True, verbose_name='текст')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='ссылка')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='создано')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='прочитано')),
                        ('dedupe_key', models.CharField(blank=True, max_length=200, verbose_name='ключ повтора')),
                        ('email_template', models.CharField(blank=True, max_length=64, verbose_name='шаблон письма')),
                        ('email_context', models.JSONField(blank=True, default=dict, verbose_name='данные письма')),
                        ('email_status', models.CharField(blank=True, choices=[('', 'Без письма'), ('pending', 'Письмо ждёт отправки'), ('sent', 'Письмо отправлено'), ('failed', 'Письмо не отправлено')], default='', max_length=16, verbose_name='письмо')),
                        ('email_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='письмо отправлено')),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='попыток отправки')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='получатель')),
                    ],
                    options={
                        'verbose_name': 'уведомление',
                        'verbose_name_plural': 'уведомления',
                        'db_table': 'participants_notification',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['user', '-created_at'], name='notification_user_idx'), models.Index(condition=models.Q(('email_status', 'pending')), fields=['email_status', 'created_at'], name='notification_outbox_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('dedupe_key', ''), _negated=True), fields=('user', 'dedupe_key'), name='notification_once_per_key')],
                    },
                ),
            ],
        ),
    ]

"""manage.py seed_demo --scale district|region [--seed N]: synthetic demo data over the loaded programs."""

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from demo.base import DemoError, demo_data_exists
from demo.data import DEMO_ACCOUNTS
from demo.generator import seed_demo
from programs.models import Program


class Command(BaseCommand):
    help = "Заполняет портал демонстрационными данными: педагоги, школы, эксперты, участие, посещаемость, рецензии."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district", "region"], default="district")
        parser.add_argument("--seed", type=int, default=42, help="Одинаковое число даёт одинаковые данные")

    def handle(self, *args, scale, seed, **options):
        started = time.monotonic()
        if demo_data_exists():
            self.stdout.write("Демонстрационные данные уже загружены: ничего не изменено.")
            return
        self.stdout.write("Загрузка программ (load_programs)…")
        if "load_programs" in get_commands():
            try:
                call_command("load_programs", verbosity=max(0, options.get("verbosity", 1) - 1))
            except CommandError as exc:
                raise CommandError(f"Не удалось загрузить программы (load_programs): {exc}") from exc
        elif not Program.objects.exists():
            raise CommandError(
                "Команда load_programs недоступна и программ в базе нет: демо-данным не на что опереться."
            )
        else:
            self.stdout.write(
                self.style.WARNING("Команды load_programs нет: используются программы, уже записанные в базу.")
            )
        self.stdout.write(f"Генерация демо-данных: масштаб «{scale}», seed={seed}")
        try:
            counts = seed_demo(scale=scale, seed=seed, log=self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if counts is None:
            self.stdout.write("Демонстрационные данные уже загружены: ничего не изменено.")
            return
        self.stdout.write("Итого:")
        for label, n in counts.items():
            self.stdout.write(f"  {label}: {n:,}".replace(",", " "))
        self.stdout.write("Демо-входы (пароль settings.DEMO_PASSWORD):")
        for email, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email} — {label}")
        self.stdout.write(self.style.SUCCESS(f"Готово за {time.monotonic() - started:.1f} с"))

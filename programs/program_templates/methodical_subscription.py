"""«Методический абонемент»: order № 18 of 10.02.2021, Armavir (seed 004).

The order runs the project «в 2021 году» and dates only the kickoff seminar (18 February 2021); the
registration window, module months and the seminar's hours are planning defaults inside 2021.
Sessions of the seven forms are scheduled per teacher's individual route, so they come without dates.
"""

from datetime import date
from decimal import Decimal

from .. import rule_sources
from ._common import SCHOOL_SUBJECTS, levels, session, zoned

TZ = "Europe/Moscow"
at = zoned(TZ)

ORGANISER = "МКУ «Центр развития образования и оценки качества»"

# Seed 004 §III.3 «Формы реализации Методического абонемента», in the order's sequence.
FORMS = [
    ("methodical_session", "Методическая сессия", True, 1),
    ("practicum", "Практикум", True, 1),
    ("master_class", "Мастер-класс", True, 1),
    ("methodical_intensive", "Методический интенсив", True, 3),
    ("training", "Тренинг", True, 1),
    # Confidential individual support, like the feedback meetings of other programs: no certificate.
    ("psychological_consulting", "Психологический консалтинг", False, 1),
    ("mentoring_hour", "Наставнический час", False, 1),
]

# Seed 004: the project is for «школы с низкими образовательными результатами» and runs «в 2021 году»; its three
# schools are recorded as such in their «Сведения организации за год» of 2021 (programs.models.low_results_exists).
LOW_RESULTS_2021 = [{"year": 2021, "low_results": True}]

TEMPLATE = {
    "municipality": {
        "name": "город Армавир",
        "region": "Краснодарский край",
        "time_zone": TZ,
    },
    "organisations": [
        {
            "short_name": ORGANISER,
            "name": "Муниципальное казенное учреждение «Центр развития образования и оценки качества»",
            "kind": "methodical_centre",
        },
        {
            "short_name": "МБОУ-СОШ № 2",
            "name": "Муниципальное бюджетное общеобразовательное учреждение – средняя общеобразовательная школа № 2",
            "kind": "school",
            "year_facts": LOW_RESULTS_2021,
        },
        {
            "short_name": "МАОУ-СОШ № 25",
            "name": (
                "Муниципальное автономное общеобразовательное учреждение – средняя общеобразовательная школа № 25"
            ),
            "kind": "school",
            "year_facts": LOW_RESULTS_2021,
        },
        {
            "short_name": "МБОУ ООШИ № 1 «Казачья»",
            "name": (
                "Муниципальное бюджетное общеобразовательное учреждение основная общеобразовательная "
                "школа-интернат № 1 «Казачья»"
            ),
            "kind": "school",
            "year_facts": LOW_RESULTS_2021,
        },
    ],
    "subjects": SCHOOL_SUBJECTS,
    "program": {
        "slug": "methodical-subscription",
        "title": "Методический абонемент",
        "code": "МА",
        "kind": "subscription",
        "organiser": ORGANISER,
        "summary": (
            "Практико-ориентированный проект для педагогов школ с низкими образовательными результатами: "
            "адресная, лично ориентированная форма повышения профессионализма учителя."
        ),
        "description": (
            "«Методический абонемент» - это адресная, лично ориентированная форма повышения профессионализма "
            "учителя, основанная на выявлении профессиональных потребностей и направленная на достижение нового "
            "качества образовательных результатов.\n"
            "Принципы реализации проекта: адресность – обучение строится на основе индивидуального запроса "
            "педагога; модульность; вариативность – возможность корректировки предложенной тематики; "
            "«горизонтальное обучение»; принцип обоюдного и равноправного обучения вместе на основе "
            "распределенной ответственности; направленность на результат.\n"
            "Алгоритм: официальный запрос общеобразовательной организации о включении в проект → согласование "
            "обращения → выявление дефицитов на уровне ОО → формирование банка запросов от тьюторантов → "
            "формирование команды специалистов и муниципальных тьюторов → индивидуальный образовательный "
            "маршрут педагога.\n"
            "Формы реализации: методическая сессия; практикум; мастер-класс; методический интенсив; тренинги; "
            "психологический консалтинг; наставнический час."
        ),
        "goals": (
            "Цель реализации проекта – устранение предметных и методических дефицитов, развитие "
            "профессионального мастерства педагогов.\n"
            "Задачи:\n"
            "1) повышение качества образовательной деятельности педагогов школ с низкими образовательными "
            "результатами;\n"
            "2) устранение риска «Недостаточная предметная и методическая компетентность педагогов»;\n"
            "3) создание организационно-методических условий для развития в ОО мотивационной образовательной "
            "среды;\n"
            "4) выстраивание индивидуальных маршрутов развития профессиональной компетентности педагогов;\n"
            "5) актуализация понятия современного урока и его результативности как следствия непрерывной "
            "методической подготовки педагога."
        ),
        "eligibility": (
            "Педагогические работники (тьюторанты) школ с низкими образовательными результатами. Критерии "
            "отбора школ: по заявке ОО; по результатам независимой оценки качества обучения в ОО (итоги "
            "всероссийских проверочных работ); по итогам диагностики дефицитов предметной компетентности "
            "педагогов школы."
        ),
        "mandatory_conditions": (
            "Официальный запрос общеобразовательной организации в МКУ «Центр развития образования и оценки "
            "качества» о включении в проект «Методический абонемент»; индивидуальный запрос педагога "
            "(тьюторанта)."
        ),
        "order_reference": rule_sources.ORDER_18,
    },
    "season": {
        "title": "2021",
        "starts_on": date(2021, 2, 10),
        "ends_on": date(2021, 12, 31),
        # The order sets no window: requests are taken from the order's date to the end of March.
        "registration_opens_at": at(2021, 2, 10),
        "registration_closes_at": at(2021, 4, 1),
        "capacity": None,
        # The school's request is agreed by the centre (§III.2).
        "requires_approval": True,
        "eligible_education_levels": [],
        "exclusion_policy": "confirmation",
        # Individual routes: the order names no grounds for exclusion.
        "exclude_on_unexcused_absence": False,
        "exclude_on_missed_video": False,
        "chat_join_days": None,
        "default_attendance_status": "",
        "issue_final_certificate": True,
        "certificate_signatory": "О.В. Мартынова, директор МКУ «Центр развития образования и оценки качества»",
        "rule_sources": rule_sources.METHODICAL_SUBSCRIPTION,
    },
    "modules": [
        {
            "order": 1,
            "number": "1",
            "title": "Установочный семинар для заместителей директоров",
            "description": (
                "Проведение в дистанционном формате установочного семинара для заместителей директоров по "
                "учебной, учебно-методической работе МБОУ-СОШ № 2, МАОУ-СОШ № 25, МБОУ ООШИ № 1 «Казачья»."
            ),
            "starts_on": date(2021, 2, 10),
            "ends_on": date(2021, 2, 28),
            "learning_formats": [],
        },
        {
            "order": 2,
            "number": "2",
            "title": "Выявление дефицитов и формирование банка запросов от тьюторантов",
            "description": (
                "Участие в выявлении дефицитов на уровне ОО и педагогических профессиональных потребностей; "
                "выбор адресной тематики образовательного маршрута педагогов; формирование банка запросов от "
                "тьюторантов."
            ),
            "starts_on": date(2021, 3, 1),
            "ends_on": date(2021, 3, 31),
            "learning_formats": [],
        },
        {
            "order": 3,
            "number": "3",
            "title": "Реализация индивидуальных образовательных маршрутов",
            "description": (
                "Методическое сопровождение педагогов по индивидуальным образовательным маршрутам в формах: "
                + "; ".join(title.lower() for _, title, _, _ in FORMS)
                + "."
            ),
            "starts_on": date(2021, 4, 1),
            "ends_on": date(2021, 11, 30),
            "learning_formats": [title for _, title, _, _ in FORMS],
        },
        {
            "order": 4,
            "number": "4",
            "title": "Распространение лучших тьюторских практик. Итоги проекта",
            "description": (
                "Распространение лучших тьюторских практик в рамках проекта на уровне образовательной "
                "организации; формирование коллективных педагогических практик."
            ),
            "starts_on": date(2021, 12, 1),
            "ends_on": date(2021, 12, 31),
            "learning_formats": [],
        },
    ],
    "activities": [
        {
            "module": 1,
            "order": 1,
            "title": (
                "Установочный семинар «Проект «Методический абонемент» как эффективный механизм "
                "совершенствования предметных и методических компетенций»"
            ),
            "kind": "seminar",
            "format": "remote",
            "description": (
                "Для заместителей директоров по учебной, учебно-методической работе МБОУ-СОШ № 2, "
                "МАОУ-СОШ № 25, МБОУ ООШИ № 1 «Казачья». Организует начальник отдела оценки качества "
                "образования С.В. Толстошей (приказ № 18, п. 3)."
            ),
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            # 18 February 2021 is the order's date; the hours are a planning default.
            "sessions": [session(at, 2021, 2, 18, "10:00", "12:00")],
        },
        {
            "module": 2,
            "order": 1,
            "title": "Диагностика дефицитов предметной компетентности педагогов",
            "kind": "event",
            "format": "mixed",
            "description": "Выявление предметных и методических профессионально-педагогических дефицитов.",
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        *[
            {
                "module": 3,
                "order": n,
                "title": title,
                "kind": kind,
                "format": "mixed",
                "description": "Форма реализации Методического абонемента; проводится по индивидуальному маршруту.",
                # Each teacher takes the forms their route names, so none is mandatory for everyone: a session
                # expects the teachers whose individual route holds it (Положение, разд. III: ИОМ).
                "is_mandatory": False,
                "audience": "invited",
                "gives_certificate": certificate,
                "hours": Decimal("2"),
                "required_sessions": required,
                "sessions": [],
            }
            for n, (kind, title, certificate, required) in enumerate(FORMS, start=1)
        ],
    ],
    "expert_roles": [
        {
            "role": "project_head",
            "functions": (
                "Координация деятельности по реализации проекта между МКУ «Центр развития образования и оценки "
                "качества» и административными командами общеобразовательных организаций; формирование банка "
                "запросов от тьюторантов"
            ),
            "planned_count": 1,
        },
        {
            "role": "methodist",
            "functions": (
                "Специалисты МКУ «Центр развития образования и оценки качества»: организационно-методическое "
                "сопровождение проекта, проведение методических сессий, практикумов, мастер-классов, "
                "методических интенсивов и тренингов по индивидуальным запросам"
            ),
            "planned_count": 3,
        },
        {
            "role": "tutor",
            "functions": (
                "Муниципальные тьюторы, распространяющие лучшие педагогические практики: сопровождение "
                "тьюторантов по индивидуальным образовательным маршрутам, наставнический час"
            ),
            "planned_count": 3,
        },
        {
            "role": "psychologist",
            "functions": "Психологический консалтинг педагогов",
            "planned_count": 1,
        },
    ],
    "rubric": {
        "title": "Оценка видеоурока «Методический абонемент»",
        "version": 1,
        "criteria": [
            {
                "order": 1,
                "title": "Устранение выявленного дефицита",
                "description": "На уроке видно применение того, что педагог освоил по своему образовательному маршруту.",
                "max_points": 3,
                "levels": levels(
                    "Дефицит проявляется, как до маршрута",
                    "Есть отдельные изменения",
                    "Дефицит в основном устранён",
                    "Дефицит устранён, приём применяется уверенно",
                ),
                "weight": Decimal("2"),
                "comment_required": True,
            },
            {
                "order": 2,
                "title": "Предметная точность",
                "description": "Содержание урока предметно корректно и соответствует программе.",
                "max_points": 3,
                "levels": levels(
                    "Есть грубые предметные ошибки",
                    "Есть отдельные неточности",
                    "Содержание корректно",
                    "Содержание корректно и раскрыто на разных уровнях сложности",
                ),
                "weight": Decimal("1.5"),
                "comment_required": False,
            },
            {
                "order": 3,
                "title": "Структура современного урока",
                "description": "Цель, этапы и результат урока согласованы между собой.",
                "max_points": 3,
                "levels": levels(
                    "Структура нарушена",
                    "Этапы есть, связь между ними слабая",
                    "Этапы согласованы с целью",
                    "Урок целостен, время распределено рационально",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
            {
                "order": 4,
                "title": "Работа на образовательный результат обучающихся",
                "description": "Задания работают на результаты, проверяемые в ВПР, и на понимание обучающихся.",
                "max_points": 3,
                "levels": levels(
                    "Результат не проверяется",
                    "Проверяется воспроизведение",
                    "Проверяется применение",
                    "Проверяется применение и перенос в новые ситуации",
                ),
                "weight": Decimal("1.5"),
                "comment_required": False,
            },
        ],
    },
    # Seed 004 §III.4 states indicators without yearly numbers, so no KPI targets are loaded.
    "kpi_targets": [],
}

"""«Прогрессивный педагог»: order № 643-од of 09.09.2024, Oktyabrsky district (seed 000).

Also carries the district's KPI targets from order № 1063-од of 23.11.2023, §6.2 (seed 002): the same
municipality, and the project serves the municipal system those targets measure.

The order gives months only; the days and hours of sessions below are planning defaults for the
coordinator to adjust, kept inside the order's months, on working days, in the afternoon.
"""

from datetime import date
from decimal import Decimal

from .. import rule_sources
from ._common import SCHOOL_SUBJECTS, levels, session, zoned

TZ = "Asia/Yekaterinburg"
at = zoned(TZ)

ORGANISER = "МКУ «ЦРО»"

# Seed 000 §3: the four learning formats offered in October.
LEARNING_FORMATS = [
    "Мультимодальное обучение",
    "Обучение на основе вызовов",
    "Социально-эмоциональное обучение",
    "Глобальное и совместное обучение",
]

VIDEO_LESSON_TEXT = "Проведение и запись занятия/урока в соответствии с выбранным форматом обучения"
# The seed writes «посредство записи»; the label uses the grammatical «посредством».
LESSON_VISIT_TEXT = "Очно или посредством записи (при транспортных сложностях)"
GROUP_MEETINGS_TEXT = "Групповые встречи (индивидуальные по отдельной потребности)"
INDIVIDUAL_TEXT = "Индивидуальные встречи, комментарии (дистанционно)"


def _intensive(order: int, learning_format: str, days: list[int]) -> dict:
    return {
        "module": 2,
        "order": order,
        "title": f"Интенсив «{learning_format}»",
        "kind": "intensive",
        "format": "remote",
        "description": (
            "Интенсив (не менее 3-х встреч) по формату обучения на выбор участника; "
            "модульное обучение (интенсив) проходит в несколько этапов на протяжении 2-3 недель."
        ),
        # A participant takes the intensive of the format they chose (п. 3): not mandatory for everyone, but for
        # those who chose it §4.4 asks for its required sessions (audience «Выбравшие формат обучения»).
        "is_mandatory": False,
        "audience": "format",
        "learning_format": learning_format,
        "gives_certificate": True,
        "hours": Decimal("6"),
        "required_sessions": 3,
        "sessions": [
            session(at, 2024, 10, day, "15:00", "17:00", title=f"{learning_format}: встреча {n}")
            for n, day in enumerate(days, start=1)
        ],
    }


# The order's roadmap gives the feedback meetings a module of their own: 3. «Обратная связь» (November).
FEEDBACK_MODULE = 3
FEEDBACK_KINDS = ("individual_feedback", "group_feedback", "lesson_visit")


def _mark_feedback_meetings(activities: list[dict]) -> None:
    """Seed 000 §5.9: «Исключение составляют встречи получения обратной связи от кураторов, методистов и психолога
    Проекта» — no certificate for them. Such are every activity of the «Обратная связь» module (the psychologist's
    «Меня слышно? О чем молчит педагог» with it) and the individual meetings and lesson visits elsewhere."""
    for activity in activities:
        feedback = activity["module"] == FEEDBACK_MODULE or activity["kind"] in FEEDBACK_KINDS
        activity["is_feedback_meeting"] = feedback
        if feedback:
            activity["gives_certificate"] = False


TEMPLATE = {
    "municipality": {
        "name": "Октябрьский район",
        "region": "Ханты-Мансийский автономный округ — Югра",
        "time_zone": TZ,
    },
    "organisations": [
        {
            "short_name": ORGANISER,
            "name": "Муниципальное казенное учреждение «Центр развития образования Октябрьского района»",
            "kind": "methodical_centre",
        },
        {
            "short_name": "Управление образования администрации Октябрьского района",
            "name": "Управление образования администрации Октябрьского района",
            "kind": "education_authority",
        },
    ],
    # Seed 000 §1.4: a methodist is a specialist in a school subject or a support profile; §4.3 names the profiles.
    "subjects": [
        *SCHOOL_SUBJECTS,
        "Психолого-педагогическое сопровождение",
        "Дефектология и логопедия",
        "Дошкольное образование",
        "Дополнительное образование",
    ],
    "program": {
        "slug": "progressive-teacher",
        "title": "Прогрессивный педагог",
        "code": "ПП",
        "kind": "project",
        "organiser": ORGANISER,
        "summary": (
            "Межмуниципальный педагогический проект методической поддержки руководящих и педагогических "
            "работников с целью их мотивации к новаторской педагогической деятельности."
        ),
        "description": (
            "Межмуниципальный педагогический проект «Прогрессивный педагог» (далее - Проект) - это разработанная "
            "и утвержденная система, структура действий, совокупность операций, которая направлена на "
            "методическую поддержку руководящих и педагогических работников с целью их мотивации к новаторской "
            "педагогической деятельности.\n"
            "Муниципальным координатором Проекта является Муниципальное казенное учреждение «Центр развития "
            "образования Октябрьского района» (далее – МКУ «ЦРО»). При МКУ «ЦРО» создаётся муниципальная "
            "экспертная команда, которая оказывает индивидуальную поддержку участников Проекта.\n"
            "Вход в Проект: диагностическое тестирование (цифровой профиль компетенций педагога на платформе "
            "«Россия страна возможностей» или иной платформе) и интервьюирование участников; участники делятся "
            "на группы в зависимости от предпочтений, руководствуясь результатами цифрового профиля."
        ),
        "goals": (
            "Основной целью запуска Проекта является создание условий, способствующих становлению "
            "педагогов-профессионалов, готовых к новаторской деятельности.\n"
            "Задачи мероприятий «дорожной карты»:\n"
            "- увеличение доли активных педагогов (участников мероприятий муниципального, регионального и "
            "всероссийского уровней);\n"
            "- стимулирование педагогов к новаторской деятельности;\n"
            "- снижение уровня профессионального выгорания педагогов посредством всесторонней методической "
            "поддержки кураторов и методистов;\n"
            "- удостовериться в эффективности/неэффективности Проекта через периодическую обратную связь от "
            "участников и экспертов (минимум раз в квартал);\n"
            "- принять решение о повторном запуске или завершении Проекта в 2025-2026 учебном году."
        ),
        "eligibility": (
            "Участником Проекта может быть любой руководящий или педагогический работник имеющий высшее или "
            "среднее профессиональное образование и работающий в образовательной организации.\n"
            "Условия участия в Проекте не предусматривают возрастных ограничений участников.\n"
            "К участию приглашаются педагоги предметники, педагоги-психологи, учителя - дефектологи, логопеды, "
            "тьюторы, педагоги-организаторы; педагоги дополнительного образования, реализующие дополнительные "
            "программы на базе образовательных организаций, воспитатели системы дошкольного образования."
        ),
        "mandatory_conditions": (
            "Обязательным условием участия в Проекте является:\n"
            "- вступление в чат информирования участников;\n"
            "- участие во всех мероприятиях, предусмотренных в рамках Проекта;\n"
            "- осуществление своевременной отправки видеоуроков в соответствии со сроками, установленными в ходе "
            "реализации Проекта.\n"
            "При невыполнении одного из обязательных пунктов участник исключается из Проекта. Предусмотрен "
            "добровольный выход через информирование руководителя Проекта."
        ),
        "order_reference": "Приказ Управления образования администрации Октябрьского района № 643-од от 09.09.2024",
    },
    "season": {
        "title": "2024–2025",
        "starts_on": date(2024, 9, 1),
        "ends_on": date(2025, 6, 30),
        # Seed 000 §5.2: registration from 10 to 23 September 2024; closing at midnight keeps the 23rd whole.
        "registration_opens_at": at(2024, 9, 10),
        "registration_closes_at": at(2024, 9, 24),
        "capacity": None,
        # Participants are split into groups after the digital profile and an interview (§2.2).
        "requires_approval": True,
        # §4.1: higher or secondary vocational education.
        "eligible_education_levels": ["higher", "secondary_vocational"],
        # §5.5 excludes for any failed condition; a coordinator confirms so that valid excuses are heard.
        "exclusion_policy": "confirmation",
        "exclude_on_unexcused_absence": True,
        "exclude_on_missed_video": True,
        # §4.4 requires joining the chat without a deadline; a week is the planning default.
        "chat_join_days": 7,
        # §1.4: the curator visits each participant's lessons monthly (stricter than §2.2's once a quarter).
        "visit_period": "monthly",
        "default_attendance_status": "absent",
        "issue_final_certificate": True,
        "certificate_signatory": "Н.А. Пожарницкая, директор МКУ «ЦРО»",
        "rule_sources": rule_sources.PROGRESSIVE_TEACHER,
    },
    "modules": [
        {
            "order": 1,
            "number": "1",
            "title": "Знакомство. Цифровой профиль педагога",
            "description": (
                "Установочная встреча с участниками Программы; раскрытие возможностей составления цифрового "
                "профиля компетенций и дальнейшей работы с ним; интервьюирование участников"
            ),
            "starts_on": date(2024, 9, 1),
            "ends_on": date(2024, 9, 30),
            "learning_formats": [],
        },
        {
            "order": 2,
            "number": "2",
            "title": "; ".join([*LEARNING_FORMATS, "Практическая часть"]),
            "description": (
                "Одна встреча; интенсивы (не менее 3-х встреч); "
                f"{VIDEO_LESSON_TEXT.lower()}; {INDIVIDUAL_TEXT.lower()}. Встреча с психологом «Современные формы "
                "психологической поддержки через приложения и цифровые устройства»"
            ),
            "starts_on": date(2024, 10, 1),
            "ends_on": date(2024, 10, 31),
            "learning_formats": LEARNING_FORMATS,
        },
        {
            "order": 3,
            "number": "3",
            "title": "Обратная связь",
            "description": f"{INDIVIDUAL_TEXT}. Встреча с психологом «Меня слышно? О чем молчит педагог»: "
            f"{GROUP_MEETINGS_TEXT.lower()}",
            "starts_on": date(2024, 11, 1),
            "ends_on": date(2024, 11, 30),
            "learning_formats": [],
        },
        {
            "order": 4,
            "number": "4",
            "title": (
                "Посещение занятия/урока методистом или куратором; "
                "Принципы сервис-дизайна в образовании (простройка пользовательского пути)"
            ),
            "description": f"{LESSON_VISIT_TEXT}. Командная игра участников (дистанционно)",
            "starts_on": date(2024, 12, 1),
            "ends_on": date(2025, 1, 31),
            "learning_formats": [],
        },
        {
            "order": 5,
            "number": "6",
            "title": "Встреча с психологом «Что делать, если у меня «невыносимая» нагрузка»; Практическая часть",
            "description": f"{GROUP_MEETINGS_TEXT}. {VIDEO_LESSON_TEXT}",
            "starts_on": date(2025, 2, 1),
            "ends_on": date(2025, 2, 28),
            "learning_formats": [],
        },
        {
            "order": 6,
            "number": "7",
            "title": "Нейросеть – помощник педагога; Посещение занятия/урока методистом или куратором",
            "description": f"Модульное обучение. {LESSON_VISIT_TEXT}",
            "starts_on": date(2025, 3, 1),
            "ends_on": date(2025, 4, 30),
            "learning_formats": [],
        },
        {
            "order": 7,
            "number": "9",
            # The seed's «соре волнуется два» is a typo of the children's game «Море волнуется раз…».
            "title": (
                "Встреча с психологом «Море волнуется раз, море волнуется два… Пересечения в волнениях "
                "педагогов, обучающихся и родителей»"
            ),
            "description": GROUP_MEETINGS_TEXT,
            "starts_on": date(2025, 5, 1),
            "ends_on": date(2025, 5, 31),
            "learning_formats": [],
        },
        {
            "order": 8,
            "number": "10",
            "title": "Первый выпуск! Итоги Программы",
            "description": (
                "Конференция достижений (транслирование участниками опыта, полученного в процессе обучения на "
                "Программе, обратная связь в прямом эфире, совместное определение дальнейших ориентиров на "
                "профессиональном пути)"
            ),
            "starts_on": date(2025, 6, 1),
            "ends_on": date(2025, 6, 30),
            "learning_formats": [],
        },
    ],
    "activities": [
        # 1. September
        {
            "module": 1,
            "order": 1,
            "title": "Установочная встреча с участниками Программы",
            "kind": "setup_meeting",
            "format": "remote",
            "description": (
                "Раскрытие возможностей составления цифрового профиля компетенций и дальнейшей работы с ним."
            ),
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2024, 9, 26, "15:00", "16:30")],
        },
        {
            "module": 1,
            "order": 2,
            "title": "Интервьюирование участников",
            "kind": "individual_feedback",
            "format": "remote",
            "description": (
                "Обсудить (в условиях конфиденциальности) первоначальные установки участника на этапе входа в "
                "Проект; время встречи согласуется с каждым участником."
            ),
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0.5"),
            "required_sessions": 1,
            "sessions": [],
        },
        # 2. October
        {
            "module": 2,
            "order": 1,
            "title": "Встреча «Форматы обучения на выбор»",
            "kind": "webinar",
            "format": "remote",
            "description": "Одна встреча: " + ", ".join(f.lower() for f in LEARNING_FORMATS) + ".",
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2024, 10, 2, "15:00", "16:30")],
        },
        _intensive(2, LEARNING_FORMATS[0], [8, 15, 22]),
        _intensive(3, LEARNING_FORMATS[1], [8, 15, 22]),
        _intensive(4, LEARNING_FORMATS[2], [9, 16, 23]),
        _intensive(5, LEARNING_FORMATS[3], [9, 16, 23]),
        {
            "module": 2,
            "order": 6,
            "title": "Практическая часть",
            "kind": "video_lesson",
            "format": "remote",
            "description": VIDEO_LESSON_TEXT,
            "is_mandatory": True,
            # A task scored by methodists and counted in the rating, not an event one attends.
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
            "video_assignment": {
                "instructions": (
                    f"{VIDEO_LESSON_TEXT}. Укажите тему урока, класс, предмет и выбранный формат обучения; "
                    "приложите краткий самоанализ."
                ),
                "opens_at": at(2024, 10, 14),
                "due_at": at(2024, 11, 1),
                "cutoff_at": at(2024, 11, 8),
            },
        },
        {
            "module": 2,
            "order": 7,
            "title": (
                "Встреча с психологом «Современные формы психологической поддержки через приложения и "
                "цифровые устройства»"
            ),
            "kind": "psychologist_meeting",
            "format": "remote",
            "description": GROUP_MEETINGS_TEXT,
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2024, 10, 29, "15:00", "16:30")],
        },
        {
            "module": 2,
            "order": 8,
            "title": "Индивидуальные встречи, комментарии",
            "kind": "individual_feedback",
            "format": "remote",
            "description": INDIVIDUAL_TEXT,
            "is_mandatory": False,
            # Individual meetings: the coordinator invites the participant to each session.
            "audience": "invited",
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        # 3. November
        {
            "module": 3,
            "order": 1,
            "title": "Обратная связь",
            "kind": "individual_feedback",
            "format": "remote",
            "description": INDIVIDUAL_TEXT,
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        {
            "module": 3,
            "order": 2,
            "title": "Встреча с психологом «Меня слышно? О чем молчит педагог»",
            "kind": "psychologist_meeting",
            "format": "remote",
            "description": GROUP_MEETINGS_TEXT,
            "is_mandatory": True,
            # A meeting of the «Обратная связь» module: §5.9 gives no certificate for it.
            "gives_certificate": False,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2024, 11, 20, "15:00", "16:30")],
        },
        # 4. December–January
        {
            "module": 4,
            "order": 1,
            "title": "Посещение занятия/урока методистом или куратором",
            "kind": "lesson_visit",
            "format": "mixed",
            "description": LESSON_VISIT_TEXT,
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        {
            "module": 4,
            "order": 2,
            "title": "Принципы сервис-дизайна в образовании (простройка пользовательского пути)",
            "kind": "team_game",
            "format": "remote",
            "description": "Командная игра участников (дистанционно)",
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            "sessions": [session(at, 2024, 12, 17, "15:00", "17:00")],
        },
        # 6. February
        {
            "module": 5,
            "order": 1,
            "title": "Встреча с психологом «Что делать, если у меня «невыносимая» нагрузка»",
            "kind": "psychologist_meeting",
            "format": "remote",
            "description": GROUP_MEETINGS_TEXT,
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2025, 2, 12, "15:00", "16:30")],
        },
        {
            "module": 5,
            "order": 2,
            "title": "Практическая часть",
            "kind": "video_lesson",
            "format": "remote",
            "description": VIDEO_LESSON_TEXT,
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
            "video_assignment": {
                "instructions": (
                    f"{VIDEO_LESSON_TEXT}. Укажите тему урока, класс, предмет и выбранный формат обучения; "
                    "приложите краткий самоанализ."
                ),
                "opens_at": at(2025, 2, 3),
                "due_at": at(2025, 3, 1),
                "cutoff_at": at(2025, 3, 8),
            },
        },
        # 7. March–April
        {
            "module": 6,
            "order": 1,
            "title": "Нейросеть – помощник педагога",
            "kind": "modular_training",
            "format": "remote",
            "description": "Модульное обучение в несколько этапов на протяжении 2-3 недель.",
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("6"),
            "required_sessions": 3,
            "sessions": [
                session(at, 2025, 3, 4, "15:00", "17:00", title="Нейросеть – помощник педагога: модуль 1"),
                session(at, 2025, 3, 11, "15:00", "17:00", title="Нейросеть – помощник педагога: модуль 2"),
                session(at, 2025, 3, 18, "15:00", "17:00", title="Нейросеть – помощник педагога: модуль 3"),
            ],
        },
        {
            "module": 6,
            "order": 2,
            "title": "Посещение занятия/урока методистом или куратором",
            "kind": "lesson_visit",
            "format": "mixed",
            "description": LESSON_VISIT_TEXT,
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        # 9. May
        {
            "module": 7,
            "order": 1,
            # The seed's «соре волнуется два» is a typo of the children's game «Море волнуется раз…».
            "title": (
                "Встреча с психологом «Море волнуется раз, море волнуется два… Пересечения в волнениях "
                "педагогов, обучающихся и родителей»"
            ),
            "kind": "psychologist_meeting",
            "format": "remote",
            "description": GROUP_MEETINGS_TEXT,
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("1.5"),
            "required_sessions": 1,
            "sessions": [session(at, 2025, 5, 14, "15:00", "16:30")],
        },
        # 10. June
        {
            "module": 8,
            "order": 1,
            "title": "Первый выпуск! Итоги Программы",
            "kind": "conference",
            "format": "remote",
            "description": (
                "Конференция достижений (транслирование участниками опыта, полученного в процессе обучения на "
                "Программе, обратная связь в прямом эфире, совместное определение дальнейших ориентиров на "
                "профессиональном пути)"
            ),
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("3"),
            "required_sessions": 1,
            "sessions": [session(at, 2025, 6, 10, "14:00", "17:00")],
        },
    ],
    # Seed 000, appendix: «Функциональная структура состава экспертов проекта».
    "expert_roles": [
        {
            "role": "tech_specialist",
            "functions": (
                "Осуществляет ведение группы в социальных сетях, организует встречи, участвует в верстке курсов "
                "совместно с методистом, собирает материалы от участников Программы"
            ),
            "planned_count": 1,
        },
        {
            "role": "curator",
            "functions": (
                "Оказывает поддерживающую помощь участникам, снимает напряжение, инициирует и дает обратную "
                "связь, проводит тематические встречи"
            ),
            "planned_count": 3,
        },
        {
            "role": "methodist",
            "functions": (
                "Занимается подбором материалов и версткой мероприятий, связанных повышением методической "
                "грамотности участников, дает обратную связь, проводит тематические встречи"
            ),
            "planned_count": 3,
        },
        {
            "role": "psychologist",
            "functions": (
                "Проводит интервизорские группы с целью оказания помощи в спорных, кризисных, тревожных "
                "ситуациях; отвечает за профилактику синдрома профессионального выгорания, кризиса ментального "
                "здоровья; предлагает альтернативные способы возможных действий при взаимодействии с участниками "
                "образовательного процесса (обучающимися, родителями, коллегам)"
            ),
            "planned_count": 1,
        },
    ],
    "rubric": {
        "title": "Оценка видеоурока «Прогрессивный педагог»",
        "version": 1,
        "criteria": [
            {
                "order": 1,
                "title": "Соответствие урока выбранному формату обучения",
                "description": (
                    "Урок построен по выбранному формату (мультимодальное обучение, обучение на основе вызовов, "
                    "социально-эмоциональное обучение, глобальное и совместное обучение)."
                ),
                "max_points": 3,
                "levels": levels(
                    "Признаки выбранного формата отсутствуют",
                    "Формат заявлен, но проявляется в отдельных эпизодах",
                    "Формат выдержан в основной части урока",
                    "Формат последовательно выдержан на всех этапах урока",
                ),
                "weight": Decimal("2"),
                "comment_required": True,
            },
            {
                "order": 2,
                "title": "Цель урока и планируемые результаты",
                "description": "Цель сформулирована в деятельностной форме, результаты проверяемы.",
                "max_points": 3,
                "levels": levels(
                    "Цель не обозначена",
                    "Цель обозначена формально",
                    "Цель понятна обучающимся, результаты частично проверены",
                    "Цель принята обучающимися, достижение результатов проверено",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
            {
                "order": 3,
                "title": "Вовлечённость и самостоятельность обучающихся",
                "description": "Доля времени активной работы обучающихся, групповые и самостоятельные формы.",
                "max_points": 3,
                "levels": levels(
                    "Обучающиеся пассивны",
                    "Активны отдельные обучающиеся",
                    "Активно большинство обучающихся",
                    "Все обучающиеся вовлечены, работают самостоятельно и в группах",
                ),
                "weight": Decimal("1.5"),
                "comment_required": False,
            },
            {
                "order": 4,
                "title": "Методы, приёмы и цифровые инструменты",
                "description": "Методы и приёмы, в том числе изученные в Проекте, уместны и работают на цель.",
                "max_points": 3,
                "levels": levels(
                    "Методы не соответствуют цели",
                    "Методы однообразны",
                    "Методы разнообразны и в основном уместны",
                    "Методы разнообразны, уместны и применены осознанно",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
            {
                "order": 5,
                "title": "Рефлексия и обратная связь",
                "description": "Обучающиеся оценивают свои результаты; учитель даёт содержательную обратную связь.",
                "max_points": 3,
                "levels": levels(
                    "Рефлексии нет",
                    "Рефлексия формальная",
                    "Рефлексия проведена, обратная связь частичная",
                    "Рефлексия и обратная связь помогают каждому увидеть следующий шаг",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
        ],
    },
    # Seed 002 §6.2 (order № 1063-од): the municipal system's targets, not this project's alone.
    "kpi_targets": [
        {
            "code": "dpo-federal-registry-diagnostics",
            "title": (
                "Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр и "
                "подобранные с учетом диагностики профессиональных компетенций (% с нарастающим итогом)"
            ),
            "for_program": False,
            "unit": "%",
            "comparison": "gte",
            "source": rule_sources.ORDER_1063_TARGETS,
            "values": {2023: Decimal("5"), 2024: Decimal("10"), 2025: Decimal("20"), 2026: Decimal("30")},
        },
        {
            "code": "management-teams-trained",
            "title": (
                "Количество управленческих команд, принявших участие в программах повышения квалификации "
                "(% с нарастающим итогом – от общего количества управленческих команд района)"
            ),
            "for_program": False,
            "unit": "%",
            "comparison": "gte",
            "source": rule_sources.ORDER_1063_TARGETS,
            "values": {2023: Decimal("10"), 2024: Decimal("20"), 2025: Decimal("30"), 2026: Decimal("40")},
        },
    ],
}

_mark_feedback_meetings(TEMPLATE["activities"])

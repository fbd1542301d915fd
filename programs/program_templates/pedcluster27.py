"""«Педкластер 27»: order № 223/1 of 17.05.2022, Verkhnebureinsky district (seed 003).

The order lists results and yearly indicators (2021–2023) but no calendar; the season runs from the
order's date to the end of the indicators' last year, and the events' days are planning defaults.
"""

from datetime import date
from decimal import Decimal

from .. import rule_sources
from ._common import SCHOOL_SUBJECTS, levels, session, zoned

TZ = "Asia/Vladivostok"
at = zoned(TZ)

ORGANISER = "Управление образования администрации Верхнебуреинского муниципального района"
SOURCE = rule_sources.ORDER_223_1_PROJECT
YEARS = (2021, 2022, 2023)

TEMPLATE = {
    "municipality": {
        "name": "Верхнебуреинский муниципальный район",
        "region": "Хабаровский край",
        "time_zone": TZ,
    },
    "organisations": [
        {
            "short_name": "Управление образования",
            "name": ORGANISER,
            "kind": "education_authority",
        },
        {
            "short_name": "МКУ «Районный информационно-методический центр»",
            "name": "Муниципальное казенное учреждение «Районный информационно-методический центр»",
            "kind": "methodical_centre",
        },
        {
            "short_name": "МБОУ ЦПП МСП",
            "name": (
                "Муниципальное бюджетное образовательное учреждение «Центр психолого-педагогической, "
                "медицинской и социальной помощи»"
            ),
            "kind": "other",
        },
    ],
    "subjects": SCHOOL_SUBJECTS,
    "program": {
        "slug": "pedcluster-27",
        "title": "Педкластер 27",
        "code": "ПК27",
        "kind": "cluster",
        "organiser": "Управление образования",
        "summary": (
            "Муниципальный проект: реализация механизмов непрерывного педагогического образования в рамках "
            "требований стандарта профессиональной деятельности педагога."
        ),
        "description": (
            "Куратор проекта – Митяшова О. П., и.о. руководителя управления образования администрации "
            "Верхнебуреинского муниципального района Хабаровского края.\n"
            "Руководитель проекта – Муратова А.В., ведущий специалист управления образования администрации "
            "Верхнебуреинского муниципального района Хабаровского края.\n"
            "Администратор проекта – Бобырь Е. С., директор МКУ «Районный информационно-методический центр».\n"
            "Соисполнители Проекта: МКУ «Районный информационно методический центр», МБОУ ЦПП МСП, "
            "общеобразовательные организации Верхнебуреинского муниципального района."
        ),
        "goals": (
            "Цель: реализация механизмов непрерывного педагогического образования в рамках требований "
            "стандарта профессиональной деятельности педагога. Обеспечение потребностей муниципальной системы "
            "образования в педагогических кадрах в соответствии с требованиями стандарта профессиональной "
            "деятельности педагога.\n"
            "Результаты: построения адресных маршрутов профессионального роста педагогов, на основе выявленных "
            "профессиональных дефицитов; создан пул профессиональных экспертов (тьюторов) по сопровождению "
            "педагогов, испытывающих затруднения; проведены муниципальные мероприятия по повышению значимости "
            "педагогического труда, общественного статуса педагогической профессии, снижения риска "
            "профессионального выгорания педагогических работников (не менее двух в год); общеобразовательные "
            "организации, реализуют целевую модель наставничества педагогических работников (не менее 10% "
            "школ, далее ежегодно увеличение охвата школ на 10%); доля педагогических работников "
            "общеобразовательных организаций, прошедших повышение квалификации в форматах непрерывного "
            "образования на основе диагностики профессиональных дефицитов составила не менее 80%; проведены не "
            "менее двух мероприятий по допрофессиональной подготовке обучающихся; сохранено число методических "
            "объединений/ профессиональных сообществ педагогов не ниже 2020 года."
        ),
        "eligibility": (
            "Педагогические работники и управленческие кадры общеобразовательных организаций Верхнебуреинского "
            "муниципального района."
        ),
        "mandatory_conditions": "",
        "order_reference": (
            "Приказ Управления образования администрации Верхнебуреинского муниципального района № 223/1 от 17.05.2022"
        ),
    },
    "season": {
        "title": "2022–2023",
        "starts_on": date(2022, 5, 17),
        "ends_on": date(2023, 12, 31),
        # The order sets no window: enrolment stays open through the first autumn of the project.
        "registration_opens_at": at(2022, 5, 17),
        "registration_closes_at": at(2022, 10, 1),
        "capacity": None,
        "requires_approval": True,
        "eligible_education_levels": [],
        "exclusion_policy": "confirmation",
        "exclude_on_unexcused_absence": False,
        "exclude_on_missed_video": False,
        "chat_join_days": None,
        "default_attendance_status": "",
        "issue_final_certificate": False,
        "certificate_signatory": "О.П. Митяшова, и.о. руководителя Управления образования",
        "rule_sources": rule_sources.PEDCLUSTER27,
    },
    "modules": [
        {
            "order": 1,
            "number": "1",
            "title": "Адресные маршруты профессионального роста педагогов на основе выявленных дефицитов",
            "description": (
                "Построения адресных маршрутов профессионального роста педагогов, на основе выявленных "
                "профессиональных дефицитов, повышения роли муниципальных и школьных методических служб в "
                "непрерывном повышении профессионального мастерства педагогов"
            ),
            "starts_on": date(2022, 9, 1),
            "ends_on": date(2022, 10, 31),
            "learning_formats": [],
        },
        {
            "order": 2,
            "number": "2",
            "title": "Целевая модель наставничества педагогических работников",
            "description": (
                "Пул профессиональных экспертов (тьюторов) по сопровождению педагогов, испытывающих "
                "затруднения; наставнические пары."
            ),
            "starts_on": date(2022, 10, 1),
            "ends_on": date(2023, 5, 31),
            "learning_formats": [],
        },
        {
            "order": 3,
            "number": "3",
            "title": (
                "Муниципальные мероприятия по повышению значимости педагогического труда, общественного статуса "
                "педагогической профессии, снижения риска профессионального выгорания педагогических работников"
            ),
            "description": "Не менее двух в год.",
            "starts_on": date(2022, 10, 1),
            "ends_on": date(2023, 4, 30),
            "learning_formats": [],
        },
        {
            "order": 4,
            "number": "4",
            "title": "Допрофессиональная подготовка обучающихся",
            "description": (
                "Функционируют классы (группы) педагогической направленности; проведены не менее двух "
                "мероприятий по допрофессиональной подготовке обучающихся."
            ),
            "starts_on": date(2022, 11, 1),
            "ends_on": date(2023, 5, 31),
            "learning_formats": [],
        },
    ],
    "activities": [
        {
            "module": 1,
            "order": 1,
            "title": "Диагностика профессиональных дефицитов",
            "kind": "event",
            "format": "mixed",
            "description": "Основа адресного маршрута профессионального роста педагога.",
            "is_mandatory": True,
            "gives_certificate": False,
            "hours": Decimal("0"),
            "required_sessions": 1,
            "sessions": [],
        },
        {
            "module": 1,
            "order": 2,
            "title": "Установочный семинар «Адресные маршруты профессионального роста»",
            "kind": "seminar",
            "format": "remote",
            "description": "Для педагогов, методических служб школ и тьюторов.",
            "is_mandatory": True,
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            "sessions": [session(at, 2022, 9, 28, "15:00", "17:00")],
        },
        {
            "module": 2,
            "order": 1,
            "title": "Наставнический час",
            "kind": "mentoring_hour",
            "format": "mixed",
            "description": "Встречи наставнических пар по целевой модели наставничества.",
            "is_mandatory": False,
            # A pair's meeting: the mentee is invited (or has it on the individual route).
            "audience": "invited",
            "gives_certificate": False,
            "hours": Decimal("1"),
            "required_sessions": 1,
            "sessions": [],
        },
        {
            "module": 3,
            "order": 1,
            "title": "Муниципальное мероприятие по повышению значимости педагогического труда",
            "kind": "event",
            "format": "in_person",
            "description": "Повышение общественного статуса педагогической профессии.",
            "is_mandatory": False,
            # Municipal events of the project's results (приказ № 223/1): any teacher may come, nobody is absent.
            "audience": "open",
            "gives_certificate": True,
            "hours": Decimal("3"),
            "required_sessions": 1,
            "sessions": [session(at, 2022, 10, 5, "14:00", "17:00")],
        },
        {
            "module": 3,
            "order": 2,
            "title": "Муниципальное мероприятие по снижению риска профессионального выгорания",
            "kind": "psychologist_meeting",
            "format": "in_person",
            "description": "С участием специалистов МБОУ ЦПП МСП.",
            "is_mandatory": False,
            # Municipal events of the project's results (приказ № 223/1): any teacher may come, nobody is absent.
            "audience": "open",
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            "sessions": [session(at, 2023, 3, 22, "15:00", "17:00")],
        },
        {
            "module": 4,
            "order": 1,
            "title": "Мероприятие по допрофессиональной подготовке обучающихся (1)",
            "kind": "event",
            "format": "in_person",
            "description": "Для обучающихся классов (групп) педагогической направленности.",
            "is_mandatory": False,
            # Municipal events of the project's results (приказ № 223/1): any teacher may come, nobody is absent.
            "audience": "open",
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            "sessions": [session(at, 2022, 11, 16, "14:00", "16:00")],
        },
        {
            "module": 4,
            "order": 2,
            "title": "Мероприятие по допрофессиональной подготовке обучающихся (2)",
            "kind": "event",
            "format": "in_person",
            "description": "Для обучающихся классов (групп) педагогической направленности.",
            "is_mandatory": False,
            # Municipal events of the project's results (приказ № 223/1): any teacher may come, nobody is absent.
            "audience": "open",
            "gives_certificate": True,
            "hours": Decimal("2"),
            "required_sessions": 1,
            "sessions": [session(at, 2023, 4, 19, "14:00", "16:00")],
        },
    ],
    "expert_roles": [
        {
            "role": "curator",
            "functions": (
                "Куратор проекта – и.о. руководителя управления образования администрации Верхнебуреинского "
                "муниципального района"
            ),
            "planned_count": 1,
        },
        {
            "role": "project_head",
            "functions": "Осуществлять непосредственное руководство и контроль реализации проекта в указанные сроки",
            "planned_count": 1,
        },
        {
            "role": "administrator",
            "functions": "Администратор проекта – директор МКУ «Районный информационно-методический центр»",
            "planned_count": 1,
        },
        {
            "role": "tutor",
            "functions": "Пул профессиональных экспертов (тьюторов) по сопровождению педагогов, испытывающих затруднения",
            "planned_count": 3,
        },
        {
            "role": "mentor",
            "functions": "Наставничество педагогических работников в рамках целевой модели наставничества",
            "planned_count": 5,
        },
    ],
    "rubric": {
        "title": "Оценка видеоурока «Педкластер 27»",
        "version": 1,
        "criteria": [
            {
                "order": 1,
                "title": "Соответствие стандарту профессиональной деятельности педагога",
                "description": "Трудовые действия обучения, воспитания и развития видны на уроке.",
                "max_points": 3,
                "levels": levels(
                    "Не соответствует",
                    "Соответствует частично",
                    "В основном соответствует",
                    "Полностью соответствует",
                ),
                "weight": Decimal("1.5"),
                "comment_required": False,
            },
            {
                "order": 2,
                "title": "Преодоление профессионального дефицита",
                "description": "Урок показывает продвижение по адресному маршруту профессионального роста.",
                "max_points": 3,
                "levels": levels(
                    "Продвижения нет",
                    "Продвижение заметно в отдельных эпизодах",
                    "Продвижение заметно",
                    "Дефицит преодолён, практика может быть распространена",
                ),
                "weight": Decimal("2"),
                "comment_required": True,
            },
            {
                "order": 3,
                "title": "Организация деятельности обучающихся",
                "description": "Формы работы обеспечивают активность и самостоятельность обучающихся.",
                "max_points": 3,
                "levels": levels(
                    "Обучающиеся пассивны",
                    "Активны отдельные обучающиеся",
                    "Активно большинство",
                    "Вовлечены все обучающиеся",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
            {
                "order": 4,
                "title": "Рефлексия и самоанализ педагога",
                "description": "Самоанализ урока точен и намечает следующий шаг.",
                "max_points": 3,
                "levels": levels(
                    "Самоанализа нет",
                    "Самоанализ формальный",
                    "Самоанализ точен",
                    "Самоанализ точен и намечает следующий шаг",
                ),
                "weight": Decimal("1"),
                "comment_required": False,
            },
        ],
    },
    # Seed 003 «Показатели реализации проекта» and the results that carry a yearly number.
    "kpi_targets": [
        {
            "code": "continuous-formats-diagnostics",
            "title": (
                "Доля педагогических работников общеобразовательных организаций, прошедших повышение "
                "квалификации в форматах непрерывного образования на основе диагностики профессиональных дефицитов"
            ),
            "for_program": True,
            "unit": "%",
            "comparison": "gte",
            "source": f"{SOURCE}, показатель 1",
            "values": {2021: Decimal("9"), 2022: Decimal("20"), 2023: Decimal("30")},
        },
        {
            "code": "young-teachers-share",
            "title": (
                "Доля учителей общеобразовательных организаций, имеющих стаж педагогической работы до пяти лет, "
                "в общей численности учителей общеобразовательных организаций"
            ),
            "for_program": True,
            "unit": "%",
            "comparison": "gte",
            "source": f"{SOURCE}, показатель 2",
            "values": {year: Decimal("15.5") for year in YEARS},
        },
        {
            "code": "higher-education-staffing",
            "title": (
                "Укомплектованность общеобразовательных организаций педагогическими кадрами, имеющими высшее "
                "образование"
            ),
            "for_program": True,
            "unit": "%",
            "comparison": "gte",
            "source": f"{SOURCE}, показатель 3",
            "values": {2021: Decimal("86.5"), 2022: Decimal("86.5"), 2023: Decimal("87")},
        },
        {
            "code": "mentoring-model-schools",
            "title": (
                "Общеобразовательные организации, реализуют целевую модель наставничества педагогических "
                "работников (не менее 10% школ, далее ежегодно увеличение охвата школ на 10%)"
            ),
            "for_program": True,
            "unit": "% школ",
            "comparison": "gte",
            # 10% in the first year, then ten points more each year.
            "source": f"{SOURCE}, результат 5",
            "values": {2021: Decimal("10"), 2022: Decimal("20"), 2023: Decimal("30")},
        },
        {
            "code": "remote-pd-share",
            "title": (
                "Доля педагогов, прошедших повышение квалификации в дистанционной форме без отрыва от основного "
                "места работы, от общего количества педагогов, прошедших повышение квалификации"
            ),
            "for_program": True,
            "unit": "%",
            "comparison": "gte",
            "source": f"{SOURCE}, результат 6",
            "values": {year: Decimal("20") for year in YEARS},
        },
        {
            "code": "prestige-burnout-events",
            "title": (
                "Муниципальные мероприятия по повышению значимости педагогического труда, общественного статуса "
                "педагогической профессии, снижения риска профессионального выгорания педагогических работников"
            ),
            "for_program": True,
            "unit": "мероприятий",
            "comparison": "gte",
            "source": f"{SOURCE}, результат 4 (не менее двух в год)",
            "values": {year: Decimal("2") for year in YEARS},
        },
        {
            "code": "pre-professional-events",
            "title": "Мероприятия по допрофессиональной подготовке обучающихся",
            "for_program": True,
            "unit": "мероприятий",
            "comparison": "gte",
            "source": f"{SOURCE}, результат 10 (не менее двух мероприятий)",
            "values": {year: Decimal("2") for year in YEARS},
        },
        {
            "code": "continuous-formats-result-8",
            "title": (
                "Доля педагогических работников общеобразовательных организаций, прошедших повышение квалификации "
                "в форматах непрерывного образования на основе диагностики профессиональных дефицитов составила "
                "не менее 80%"
            ),
            "for_program": True,
            "unit": "%",
            "comparison": "gte",
            # The order names no year for its results: the portal's default is the last year of the indicators.
            "source": f"{SOURCE}, результат 8; год — последний год таблицы показателей (значение портала по умолчанию)",
            "values": {YEARS[-1]: Decimal("80")},
        },
        {
            "code": "pedagogical-classes",
            "title": "Функционируют классы (группы) педагогической направленности",
            "for_program": True,
            "unit": "шт.",
            "comparison": "gte",
            "source": f"{SOURCE}, результат 9; «не менее одного» — значение портала по умолчанию",
            "values": {year: Decimal("1") for year in YEARS},
        },
        {
            "code": "methodical-associations",
            "title": "Сохранено число методических объединений/ профессиональных сообществ педагогов не ниже 2020 года",
            "for_program": True,
            "unit": "шт.",
            "comparison": "gte",
            "source": f"{SOURCE}, результат 12",
            # The level of 2020: its number is entered by the coordinator (reports.KpiBaseline), never guessed.
            "baseline_year": 2020,
            "values": {year: None for year in YEARS},
        },
    ],
}

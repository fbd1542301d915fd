"""The cascade of ИМЦ Московского района (сид 001): a program template for each of its six projects that run
activities for teachers, loaded by `manage.py load_programs` next to the three ready programs.

The seed's dates lie in 2019–2025, so the templates are built by `cascade_templates(today)`: every season is the
current academic year (1 September – 31 August; the tutor course keeps its own September – November), the seed's
dated events move by whole years so that the seed's academic year 2021–2022 becomes the current one, and a yearly
event («ежегодно, ноябрь-декабрь») takes its months in the current academic year (programs.academic_dates, the
same moving as the project office's registry). The seed's own dates stay in the descriptions. Everything depends
on the academic year only, so a second run in the same year changes nothing.

Sessions are given only where the seed dates an event (a seminar of 30.09.2021) or fixes how often it happens
(«не менее 1 раза в учебном полугодии»); their hours, and the days of undated sessions, are planning defaults.
The seed names no rubric or video lessons, so none is loaded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..academic_dates import academic_year_start, dates_of, month_in_year
from . import _imc_moskovsky as place
from ._common import SCHOOL_SUBJECTS, session, zoned

at = zoned(place.TZ)

SIGNATORY = "И.Г. Лужецкая, директор ИМЦ Московского района"
YEAR = ("year",)

# Program kinds (programs.Program.Kind): a project that networks the district's schools, kindergartens or
# communities is a «муниципальный проект / кластер»; one that takes its participants along a course of support —
# the leaders and the reserve, the tutor course's 30 teachers — is a «проект сопровождения».
CLUSTER = "cluster"
PROJECT = "project"

NORMATIVE_TRAJECTORY = (
    "Распоряжение Минпросвещения России от 25.12.2019 № Р-145; распоряжение Минпросвещения России от 06.08.2020 "
    "№ Р-76; распоряжение Комитета по образованию от 23.07.2021 № 2116-р"
)


def _activity(module: int, order: int, title: str, kind: str, **fields) -> dict:
    """An activity of the cascade: by default open to whoever wishes, not mandatory and without a certificate —
    the seed makes none of its events compulsory except the tutor course's."""
    return {
        "module": module,
        "order": order,
        "title": title,
        "kind": kind,
        "format": fields.pop("format", "in_person"),
        "description": fields.pop("description", ""),
        "is_mandatory": fields.pop("is_mandatory", False),
        "audience": fields.pop("audience", "open"),
        "gives_certificate": fields.pop("gives_certificate", False),
        "hours": fields.pop("hours", Decimal("0")),
        "required_sessions": fields.pop("required_sessions", 1),
        "sessions": fields.pop("sessions", []),
        **fields,
    }


def _module(order: int, title: str, when: tuple, today: date, description: str = "") -> dict:
    starts_on, ends_on = dates_of(when, today, place.SEED_ACADEMIC_YEAR)
    return {
        "order": order,
        "number": str(order),
        "title": title,
        "description": description,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "learning_formats": [],
    }


def _on(when: tuple, today: date, start: str, end: str, title: str = "", place_text: str = "") -> dict:
    """A session on the (moved) first day of a seed's `when`."""
    day, _last = dates_of(when, today, place.SEED_ACADEMIC_YEAR)
    return session(at, day.year, day.month, day.day, start, end, title, place_text)


def _on_month(month: int, day: int, today: date, start: str, end: str, title: str = "") -> dict:
    """A session on `day` of `month` of the current academic year (a planning default)."""
    return session(at, month_in_year(month, today), month, day, start, end, title, place.IMC)


def _season(today: date, **fields) -> dict:
    """The current academic year's season; the seed sets no registration window, so teachers join through the
    first half-year, each agreed by the centre."""
    year = academic_year_start(today)
    return {
        "title": f"{year}–{year + 1}",
        "starts_on": date(year, 9, 1),
        "ends_on": date(year + 1, 8, 31),
        "registration_opens_at": at(year, 9, 1),
        "registration_closes_at": at(year + 1, 1, 1),
        "capacity": None,
        "requires_approval": True,
        "eligible_education_levels": [],
        "exclusion_policy": "confirmation",
        # The seed names no grounds for exclusion in any of the projects.
        "exclude_on_unexcused_absence": False,
        "exclude_on_missed_video": False,
        "chat_join_days": None,
        "default_attendance_status": "",
        "issue_final_certificate": False,
        "certificate_signatory": SIGNATORY,
        **fields,
    }


def _template(slug: str, kind: str, program: dict, season: dict, modules, activities, expert_roles) -> dict:
    return {
        "municipality": place.MUNICIPALITY,
        # The ШНОР marks are those of the season's academic year.
        "organisations": place.organisations(season["starts_on"].year),
        "subjects": SCHOOL_SUBJECTS,
        "program": {
            "slug": slug,
            "title": place.PROGRAMS[slug]["title"],
            "code": place.PROGRAMS[slug]["code"],
            "kind": kind,
            "organiser": place.IMC,
            "mandatory_conditions": "",
            "order_reference": "",
            **program,
        },
        "season": season,
        "modules": modules,
        "activities": activities,
        "expert_roles": expert_roles,
        "kpi_targets": [],
    }


def prokommyuniti(today: date) -> dict:
    """«Коллаборация профессиональных педагогических сообществ района «ПРОкомьюнити в мире VUCA»». Meetings of
    each community and the cascade training are scheduled by the communities themselves (projects app); the seed
    lists no district events («Мероприятия фиксируются в выбранном инструменте гибкого управления проектами»)."""
    return _template(
        "prokommyuniti",
        CLUSTER,
        {
            "summary": (
                "Коллаборация профессиональных педагогических сообществ района: «горизонтальное обучение» "
                "педагогов в гибридном формате, банк практик, каскадное обучение, «Prof-акселератор» для лидеров."
            ),
            "description": (
                "Мы выбрали стратегию создания сообществ – ПРОКомьюнити, имеющее четкую структуру и базирующееся "
                "на принципах: решение стратегических вопросов, важных для системы образования района; определение "
                "целей и отчетности; сотрудничество равных и коллегиальность; грамотное управление; высокие "
                "ожидания.\n"
                "Этапы по сиду: подготовительный 08.2021 – 01.2022 (анализ – дизайн – документирование общего "
                "видения проекта – назначение участников команды – проектирование рабочих процессов – начальный "
                "спринт); основной до 08.2024 (предполагается 5 спринтов)."
            ),
            "goals": (
                "Решение стратегических задач развития системы образования через развитие активного и адаптивного "
                "педагогического сообщества района как инструмента наращивания профессиональных компетенций "
                "педагогов, реализации их творческого потенциала, прокачки метанавыков.\n"
                "Задачи: формирование новой архитектуры ПРОкомьюнити; развитие форм профессионального общения и "
                "социального партнерства; оформление ценностей, принципов и правил коллаборации; создание "
                "«Prof-акселератора» для лидеров активов ПРОкомьюнити; внедрение в районе каскадного обучения "
                "педагогических работников с опорой на актив ПРОкомьюнити; построение системы мотивации и "
                "геймификации."
            ),
            "eligibility": (
                "Педагогический актив района; специалисты отдела образования, руководящие работники ИМЦ, "
                "руководители ОУ, в которых эти педагоги осуществляют трудовую деятельность."
            ),
        },
        _season(today),
        [
            _module(
                1,
                "Встречи профессиональных сообществ",
                YEAR,
                today,
                "Сообщества проводят свои встречи и пополняют банк практик; расписание ведёт лидер сообщества.",
            ),
            _module(
                2,
                "Каскадное обучение педагогических работников",
                YEAR,
                today,
                "Внедрение в районе каскадного обучения педагогических работников с опорой на актив ПРОкомьюнити.",
            ),
            _module(
                3,
                "«Prof-акселератор» для лидеров сообществ",
                YEAR,
                today,
                "Создание «Prof-акселератора» для лидеров активов ПРОкомьюнити.",
            ),
        ],
        [],
        [
            {
                "role": "methodist",
                "functions": (
                    "Определенный районом координатор деятельности сообществ: куратор сообщества, отчетность, "
                    "мотивация и геймификация"
                ),
                "planned_count": 2,
            },
            {
                "role": "tutor",
                "functions": "Сотрудник ИМЦ – наставник/тьютор/коуч/тренер: сопровождение лидеров в «Prof-акселераторе»",
                "planned_count": 1,
            },
        ],
    )


def shkola_liderov(today: date) -> dict:
    """«Школа Лидеров образования»: the seed's events 1.1–1.5 and 2.1–2.3, 2.6 that teachers and leaders attend;
    the reserve's paperwork (2.4, 2.5, 2.7, 2.8) is the personnel reserve's part (projects app)."""
    return _template(
        "shkola-liderov",
        PROJECT,
        {
            "summary": (
                "Цикл мероприятий для руководителей ОУ по обмену лучшими управленческими практиками и циклограмма "
                "работы с кадровым резервом: семинары, мастер-классы (акселератор), стажировки."
            ),
            "description": (
                "Методическое сопровождение профессионального развития руководителей и лиц, состоящих в кадровом "
                "резерве на должность руководителя ОУ; апробация новых подходов к отбору в кадровый резерв в "
                "формате профессионального конкурса «Управленцы будущего».\n"
                "Срок реализации по сиду: 2019-2024 (основной этап)."
            ),
            "goals": (
                "Цель: создание условий для профессионально-личностного развития руководителей ОУ, развития "
                "управленческих компетенций и личностно-профессиональных ресурсов у лиц, состоящих в кадровом "
                "резерве."
            ),
            "eligibility": (
                "Руководители ОУ; лица, состоящие в кадровом резерве и кандидаты в кадровый резерв; специалисты "
                "отдела образования и ИМЦ."
            ),
        },
        _season(today),
        [
            _module(
                1,
                "Цикл мероприятий по распространению успешных управленческих практик",
                YEAR,
                today,
                "Мероприятие 1 (в течение года): профессионально-личностное развитие руководителей ОУ.",
            ),
            _module(
                2,
                "Циклограмма мероприятий по работе с кадровым резервом и кандидатами",
                YEAR,
                today,
                "Мероприятие 2 (в течение года): повышение готовности лиц, состоящих в кадровом резерве, к работе "
                "в должности руководителя ОУ.",
            ),
        ],
        [
            _activity(
                1,
                1,
                "Цикл семинаров по обмену опытом",
                "event",
                description=(
                    "Мероприятие 1.3, в течение года: развитие профессионально необходимых знаний, деловых и личных "
                    "качеств, обеспечивающих успешное выполнение должностных обязанностей руководителя ОУ."
                ),
            ),
            _activity(
                1,
                2,
                "Стажировка на базе передовых ОУ района, города, страны",
                "event",
                audience="invited",
                description="Мероприятие 1.4, в течение года: стажируются приглашённые руководители.",
            ),
            _activity(
                1,
                3,
                "Анализ данных, консультирование по формированию индивидуальных траекторий профессионального роста",
                "methodical_session",
                audience="invited",
                description=(
                    "Мероприятие 1.1, ежегодно, ноябрь-декабрь: адресная поддержка профессионального развития лиц, "
                    "состоящих в кадровом резерве и кандидатов."
                ),
            ),
            _activity(
                1,
                4,
                "Методическое сопровождение руководителей – участников профессиональных конкурсов",
                "methodical_session",
                audience="invited",
                description=(
                    "Мероприятие 1.5, в течение года: адресная поддержка по подготовке к прохождению конкурсных "
                    "процедур."
                ),
            ),
            _activity(
                2,
                1,
                "Цикл управленческих мастер-классов лучших руководителей ОУ района (акселератор)",
                "master_class",
                description=(
                    "Мероприятие 2.1, в течение года: формирование и развитие профессионально необходимых знаний, "
                    "деловых и личных качеств руководителя ОУ."
                ),
            ),
            _activity(
                2,
                2,
                "Цикл семинаров для лиц, состоящих в кадровом резерве",
                "event",
                description="Мероприятие 2.2, в течение года.",
            ),
            _activity(
                2,
                3,
                "Стажировка победителей профессионального конкурса «Управленцы будущего»",
                "event",
                audience="invited",
                description="Мероприятие 2.3, ежегодно, апрель: стажируются победители конкурса.",
            ),
            _activity(
                2,
                4,
                "Психолого-педагогическая диагностика лиц, состоящих в кадровом резерве и кандидатов",
                "event",
                audience="invited",
                description=(
                    "Мероприятие 2.6, ежегодно, октябрь-ноябрь: выявление преимуществ и дефицитов профессиональных "
                    "и личностных качеств."
                ),
            ),
        ],
        [
            {
                "role": "methodist",
                "functions": (
                    "Анализ данных и консультирование по формированию индивидуальных траекторий профессионального "
                    "роста; методическое сопровождение участников профессиональных конкурсов"
                ),
                "planned_count": 2,
            },
            {
                "role": "psychologist",
                "functions": "Психолого-педагогическая диагностика лиц, состоящих в кадровом резерве и кандидатов",
                "planned_count": 1,
            },
            {
                "role": "mentor",
                "functions": "Лучшие руководители ОУ района: управленческие мастер-классы (акселератор), стажировки",
                "planned_count": 2,
            },
        ],
    )


def traektoriya_razvitiya(today: date) -> dict:
    """«Траектория развития»: the seminars of 30.09 and 18.10 (мероприятия 2, 3), the educational intensives «не
    менее 1 раза в учебном полугодии» (мероприятие 6) and the mentors' methodical support (мероприятие 7)."""
    autumn_seminar = ("dates", date(2021, 9, 30), date(2021, 9, 30))
    october_seminar = ("dates", date(2021, 10, 18), date(2021, 10, 18))
    return _template(
        "traektoriya-razvitiya",
        CLUSTER,
        {
            "summary": (
                "Онлайн-лаборатория педагогов-наставников Московского района, организаторов внедрения целевой модели "
                "наставничества в ОО; краткосрочные образовательные интенсивы и курсы ИМЦ."
            ),
            "description": (
                "Проект направлен на создание информационно-методической среды для профессионального взаимодействия "
                "педагогических работников ОО, участвующих в реализации идей наставничества и «околонаставничества» "
                "(тьюторства, консультирования, коучинга и пр.). В поддержку проекта ИМЦ организует краткосрочные "
                "образовательные интенсивы и курсы.\n"
                "Сроки по сиду: семинары 30.09.2021 и 18.10.2021; образовательные интенсивы – не менее 1 раза в "
                "учебном полугодии; основной этап сентябрь 2021 г. – октябрь 2024 г."
            ),
            "goals": (
                "Создание условий для организации деятельности неформальных профессиональных сообществ как одной из "
                "инновационных форм методической деятельности и наставничества в образовательных организациях."
            ),
            "eligibility": "Педагоги-наставники ОО района; методисты ИМЦ, специалисты ОО.",
            "order_reference": NORMATIVE_TRAJECTORY,
        },
        _season(today),
        [
            _module(
                1,
                "Информационное обеспечение внедрения целевой модели наставничества",
                YEAR,
                today,
                "Мероприятия 2 и 3: семинары для ОО района.",
            ),
            _module(
                2,
                "Образовательные интенсивы для педагогов",
                YEAR,
                today,
                "Мероприятие 6: не менее 1 раза в учебном полугодии.",
            ),
            _module(
                3,
                "Онлайн-лаборатория педагогов-наставников Московского района",
                YEAR,
                today,
                "Мероприятия 5 и 7: организационно-методическое сопровождение профессиональных объединений "
                "педагогов-наставников.",
            ),
        ],
        [
            _activity(
                1,
                1,
                "Семинар «Внедрение целевой модели наставничества в Московском районе»",
                "event",
                description=(
                    "Мероприятие 2 (по сиду 30.09.2021): информационное обеспечение процесса внедрения целевой модели "
                    "наставничества в ОО района."
                ),
                sessions=[_on(autumn_seminar, today, "15:00", "17:00", place_text=place.IMC)],
            ),
            _activity(
                1,
                2,
                "Семинар «Воспитательная работа как фактор достижения образовательных результатов»",
                "event",
                description=(
                    "Мероприятие 3 (по сиду 18.10.2021): презентация успешного опыта реализации различных форм "
                    "наставничества пилотными учреждениями – школами № 358, 376, 544, 643."
                ),
                sessions=[_on(october_seminar, today, "15:00", "17:00", place_text=place.IMC)],
            ),
            _activity(
                2,
                1,
                "Образовательный интенсив для педагогов (первое полугодие)",
                "intensive",
                format="mixed",
                description=(
                    "Мероприятие 6, не менее 1 раза в учебном полугодии: участие педагогов-наставников в "
                    "краткосрочных обучающих мероприятиях."
                ),
                sessions=[_on_month(11, 17, today, "15:00", "18:00")],
            ),
            _activity(
                2,
                2,
                "Образовательный интенсив для педагогов (второе полугодие)",
                "intensive",
                format="mixed",
                description=(
                    "Мероприятие 6, не менее 1 раза в учебном полугодии: участие педагогов-наставников в "
                    "краткосрочных обучающих мероприятиях."
                ),
                sessions=[_on_month(3, 16, today, "15:00", "18:00")],
            ),
            _activity(
                3,
                1,
                "Индивидуальное и групповое методическое сопровождение педагогов-наставников",
                "methodical_session",
                format="mixed",
                audience="invited",
                description=(
                    "Мероприятие 7, непрерывно: система педагогической поддержки педагогов с учетом принципа "
                    "индивидуализации."
                ),
            ),
        ],
        [
            {
                "role": "mentor",
                "functions": "Педагоги-наставники ОО: организаторы внедрения целевой модели наставничества",
                "planned_count": 4,
            },
            {
                "role": "methodist",
                "functions": "Методисты ИМЦ: интенсивы, индивидуальное и групповое методическое сопровождение",
                "planned_count": 1,
            },
        ],
    )


def shkola_shkole(today: date) -> dict:
    """«Школа – Школе»: the plan's six items by their months; the 36-hour course certifies, the round tables,
    seminars, master classes and open lessons are open to the partner schools' teachers."""
    open_events_4_5 = [
        ("Мастер-класс «Подготовка к написанию изложения и сочинения ОГЭ, ЕГЭ»", "master_class"),
        ("Мастер-класс «Подготовка к решению части В»", "master_class"),
        ("Круглый стол по вопросам реализации ВСОКО", "event"),
        ("Открытые уроки учителей школ-партнеров", "event"),
        ("Круглый стол по подготовке учащихся к ВПР", "event"),
    ]
    season = _season(today)
    return _template(
        "shkola-shkole",
        CLUSTER,
        {
            "summary": (
                "Сетевые пары «школа-лидер – школа ШНОР»: обмен опытом, адресная программа повышения квалификации, "
                "мониторинг динамики образовательных результатов."
            ),
            "description": (
                "Для организации методической поддержки школам с низкими результатами обучения используется "
                "вовлечение школ-наставников и школ-лидеров в процесс обмена опытом через различные формы "
                "методического взаимодействия с педагогами и руководителями менее успешных школ (семинары, "
                "мастер-классы и др.). В пары объединяются школы, имеющие схожий уклад жизни, находящиеся в схожих "
                "социальных условиях, отличающиеся лишь образовательными результатами.\n"
                "Этапы по сиду: подготовительный сентябрь 2020 – декабрь 2021; основной 2022 – 2023; заключительный "
                "2023 – сентябрь 2024. Анализ реализации Проекта – июнь – сентябрь."
            ),
            "goals": (
                "Цель: организация сетевого взаимодействия школ-наставников и школ-мастеров со школами с низкими "
                "результатами обучения с целью повышения образовательных результатов обучающихся."
            ),
            "eligibility": (
                "Педагогические команды ОО, демонстрирующих низкие результаты обучения, и школ-партнеров; методисты "
                "ИМЦ Московского района, председатели РУМО."
            ),
        },
        season,
        [
            _module(1, "Разработка (ежегодная корректировка) Проекта", ("months", 9, 9), today),
            _module(
                2,
                "Создание условий для развития профессиональной компетенции и мотивации учителей",
                ("months", 10, 11),
                today,
            ),
            _module(3, "Обмен опытом в формате семинаров и мастер-классов", ("months", 11, 12), today),
            _module(
                4,
                "Внедрение эффективных педагогических технологий в практику работы учителей школ",
                ("months", 1, 3),
                today,
            ),
            _module(
                5,
                "Внедрение эффективных педагогических технологий в практику работы учителей школ с низкими "
                "результатами обучения",
                ("months", 4, 5),
                today,
            ),
            {
                **_module(6, "Анализ реализации Проекта, оценка результативности, итоги", ("months", 6, 8), today),
                # The seed's «июнь – сентябрь» ends with the season on 31 August; September opens the next one.
                "description": "По сиду: июнь – сентябрь. Обработка данных, сравнение и обобщение результатов; отчет.",
            },
        ],
        [
            _activity(
                2,
                1,
                "Программа повышения квалификации «Актуальные проблемы повышения качества образовательных "
                "результатов учащихся»",
                "modular_training",
                audience="invited",
                gives_certificate=True,
                hours=Decimal("36"),
                description=(
                    "Пункт 2 плана (октябрь-ноябрь), 36 часов: адресная программа повышения квалификации педагогов "
                    "школ с низкими результатами обучения в соответствии с выявленными дефицитами."
                ),
            ),
            _activity(
                2,
                2,
                "Круглый стол по технологии осуществления мониторинга успеваемости, оценки, учета и прогнозирования "
                "образовательных достижений обучающихся",
                "event",
                description="Пункт 2 плана (октябрь-ноябрь).",
            ),
            _activity(
                3,
                1,
                "Семинар по планированию и осуществлению подготовки учащихся к итоговой аттестации в соответствии "
                "со спецификацией ГИА",
                "event",
                description="Пункт 3 плана (ноябрь - декабрь).",
            ),
            _activity(
                3,
                2,
                "Круглый стол по обмену методическими материалами для организации подготовки учащихся к ГИА",
                "event",
                description="Пункт 3 плана (ноябрь - декабрь).",
            ),
            *(
                _activity(module, order, title, kind, description=f"Пункт {module} плана ({months}).")
                for module, months in ((4, "январь – март"), (5, "апрель – май"))
                for order, (title, kind) in enumerate(open_events_4_5, start=1)
            ),
        ],
        [
            {
                "role": "methodist",
                "functions": (
                    "Методисты ИМЦ Московского района и председатели РУМО: программа повышения квалификации, "
                    "семинары, круглые столы, анализ работы учителя на уроке"
                ),
                "planned_count": 3,
            },
        ],
    )


def laboratoriya_kompetentsiy(today: date) -> dict:
    """«Лаборатория профессиональных компетенций»: the yearly organisational meeting (мероприятие 4) and the
    final events (мероприятие 11, «ежегодно до 01.06.»); mentors and learners are matched by the lab's map."""
    return _template(
        "laboratoriya-kompetentsiy",
        CLUSTER,
        {
            "summary": (
                "Районная карта наставников ДОО по тематикам профессиональных компетенций: наставник и ученик в "
                "индивидуальном формате, в том числе дистанционно."
            ),
            "description": (
                "Создание условий для развития новаторской деятельности, распространение успешного опыта работы "
                "талантливых педагогов (в том числе, с использованием дистанционных форм взаимодействия). Поиск "
                "новых возможностей совершенствования профессиональных компетенций воспитателей, которые "
                "предпочитают индивидуальный формат общения.\n"
                "Сроки по сиду: 2020-2021 подготовительный, 2022-2024 основной, заключительный до 31.10.2025; "
                "организационные собрания – 2020-2024 ежегодно; итоговые мероприятия – ежегодно до 01.06."
            ),
            "goals": (
                "Цель: создание условий для развития новаторской деятельности, развитие сетевого взаимодействия ДОО "
                "по использованию ресурса наставничества.\n"
                "Задачи: составление районной карты наставников, отражающей многообразие тематик профессиональных "
                "компетенций; организация взаимодействия наставников и их учеников; распространение успешного опыта "
                "работы талантливых педагогов."
            ),
            "eligibility": "Педагогические кадры ГОУ Московского района, реализующих программы ДО.",
        },
        _season(today),
        [
            _module(
                1,
                "Организационный этап года",
                ("months", 9, 10),
                today,
                "Анонс деятельности Лаборатории, экспресс-опрос ДОУ, организационные собрания (2020-2024 ежегодно).",
            ),
            _module(
                2,
                "Деятельность участников проекта по алгоритмам наставника и ученика",
                YEAR,
                today,
                "Мероприятие 7 (2020-2024 ежегодно).",
            ),
            _module(
                3,
                "Итоговые мероприятия реализации проекта",
                ("months", 5, 5),
                today,
                "Мероприятия 10 и 11 (ежегодно до 01.06.).",
            ),
        ],
        [
            _activity(
                1,
                1,
                "Организационное собрание для участников проекта",
                "event",
                # Every participant of the lab's year is expected at its organisational meeting (мероприятие 4).
                audience="all",
                description="Мероприятие 4, 2020-2024 ежегодно.",
                sessions=[_on_month(9, 24, today, "16:00", "17:30")],
            ),
            _activity(
                3,
                1,
                "Итоговое мероприятие реализации проекта",
                "event",
                description="Мероприятие 11, ежегодно до 01.06.",
                sessions=[_on_month(5, 20, today, "16:00", "18:00")],
            ),
        ],
        [
            {
                "role": "mentor",
                "functions": "Наставники районной карты: взаимодействие с учениками по алгоритмам наставника",
                "planned_count": 5,
            },
            {
                "role": "methodist",
                "functions": "Методисты ИМЦ: организационный комитет Лаборатории, методические рекомендации",
                "planned_count": 2,
            },
        ],
    )


def tyutor_demografiya(today: date) -> dict:
    """«Тьютор в федеральном проекте «Демография»»: the 144-hour course of 30 teachers — a distance module on ODIN
    with a tutor, a chosen practical module, an internship as an individual route — and the credit by the ТГУ
    commission (22.11.2021 by the seed), which certifies the course."""
    year = academic_year_start(today)
    recruitment = dates_of(("dates", date(2021, 9, 1), date(2021, 9, 30)), today, place.SEED_ACADEMIC_YEAR)
    credit = ("dates", date(2021, 11, 22), date(2021, 11, 22))
    classes = ("dates", date(2021, 10, 1), date(2021, 11, 30))
    internship = ("dates", date(2021, 11, 1), date(2021, 11, 30))
    return _template(
        "tyutor-demografiya",
        PROJECT,
        {
            "summary": (
                "Программа ПК «Современная педагогика как пространство для самореализации» (144 ч.) для педагогов "
                "«серебряного возраста»: дистанционный модуль на платформе ODIN с тьютором, технологический модуль "
                "по выбору, стажировка по ИОМ, зачет комиссии ТГУ."
            ),
            "description": (
                "Партнерская образовательная программа (Томский государственный университет + Межрегиональная "
                "тьюторская ассоциация + ИМЦ Московского района) для освоения педагогами «серебряного возраста» "
                "школ Московского района технологий тьюторского сопровождения. Для первого модуля, который "
                "проводится на обучающей платформе ODIN, вводится фигура Тьютора. Второй модуль, выбранный "
                "педагогами, наполнен практическими упражнениями, деятельностными пробами, решениями кейсов и "
                "деловыми играми. Стажировочный модуль – индивидуальный образовательный маршрут каждого курсанта.\n"
                "Сроки по сиду: набор слушателей – сентябрь 2021; занятия – октябрь-ноябрь 2021; стажировка – "
                "ноябрь 2021; зачет – 22 ноября 2021."
            ),
            "goals": (
                "Цель: разработать организационно-управленческие модели и подготовить кадровые условия для "
                "становления служб тьюторского сопровождения индивидуальных образовательных маршрутов школьников и "
                "индивидуальных карьерных траекторий педагогов в школах Московского района."
            ),
            "eligibility": "30 педагогов школ Московского района («серебряного возраста»).",
            "order_reference": "Федеральный проект «Демография»; договор между Томским ГУ и ИМЦ Московского района",
        },
        _season(
            today,
            starts_on=date(year, 9, 1),
            ends_on=dates_of(classes, today, place.SEED_ACADEMIC_YEAR)[1],
            registration_opens_at=at(recruitment[0].year, recruitment[0].month, recruitment[0].day),
            registration_closes_at=at(recruitment[1].year, 10, 1),
            capacity=30,
        ),
        [
            _module(1, "Дистанционный модуль на платформе ODIN", classes, today),
            _module(2, "Технологический модуль (по выбору)", classes, today),
            _module(3, "Стажировочный модуль", internship, today),
            _module(4, "Зачет", credit, today),
        ],
        [
            _activity(
                1,
                1,
                "Дистанционный модуль программы «Современная педагогика как пространство для самореализации»",
                "modular_training",
                format="remote",
                audience="all",
                is_mandatory=True,
                description=(
                    "На обучающей платформе ODIN; тьютор помогает адаптироваться к новому инструменту, сопровождает "
                    "выполнение и проверку заданий, способствует образованию миникоманд."
                ),
            ),
            _activity(
                2,
                1,
                "Технологический модуль: основы тьюторского сопровождения",
                "practicum",
                audience="all",
                is_mandatory=True,
                description=(
                    "Модуль, выбранный педагогами: практические упражнения, деятельностные пробы, решения кейсов и "
                    "деловые игры на учебных материалах и технологиях ИМЦ Московского района."
                ),
            ),
            _activity(
                3,
                1,
                "Стажировка в ОУ района",
                "event",
                audience="invited",
                is_mandatory=True,
                description=(
                    "Индивидуальный образовательный маршрут каждого курсанта в ОУ, где он проходит стажировку "
                    "(по сиду – ноябрь 2021)."
                ),
            ),
            _activity(
                4,
                1,
                "Зачет по программе «Современная педагогика как пространство для самореализации»",
                "event",
                audience="all",
                is_mandatory=True,
                gives_certificate=True,
                hours=Decimal("144"),
                description="Зачет принимает комиссия ТГУ (по сиду – 22.11.2021); сертификат о прохождении программы.",
                sessions=[_on(credit, today, "15:00", "18:00", place_text=place.IMC)],
            ),
        ],
        [
            {
                "role": "tutor",
                "functions": (
                    "Тьютор дистанционного модуля: сопровождение выполнения и проверки заданий, сохранность "
                    "контингента; исследование становления тьюторских компетенций"
                ),
                "planned_count": 1,
            },
            {
                "role": "methodist",
                "functions": "Методисты ИМЦ: технологический модуль, стажировочный модуль, сопровождение ИОМ",
                "planned_count": 2,
            },
        ],
    )


BUILDERS = (
    prokommyuniti,
    shkola_liderov,
    traektoriya_razvitiya,
    shkola_shkole,
    laboratoriya_kompetentsiy,
    tyutor_demografiya,
)


def cascade_templates(today: date) -> list[dict]:
    """The six templates of the cascade, dated in the academic year of `today`, in the order of PROGRAMS."""
    return [build(today) for build in BUILDERS]

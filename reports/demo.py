"""Synthetic demo data over the loaded programs: people, schools, experts, enrollments, attendance, reviews.

Everything is built in memory from one seeded random generator and written with bulk_create, so a region
(~20,000 teachers, ~600 organisations) loads in minutes and the same seed always gives the same data.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.deadlines import check_deadlines_job
from activities.models import Activity, Attendance, ExclusionCase, RouteItem, Session, Submission, VideoAssignment
from activities.services_certificates import certificates_issue
from core.jobs import job_run
from core.models import JobRun, Notification
from experts.models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MentoringPair,
    VisitMode,
)
from participants.models import (
    TEAM_PROGRAMME_MIN_MEMBERS,
    CompetenceDiagnostic,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    ManagementTeamMember,
    ManagementTeamProgramme,
    Person,
    ProfessionalDevelopment,
    SchoolApplication,
    StaffHeadcount,
    StaffRosterEntry,
    SubscriptionForm,
    User,
)
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from participants.services_roster import roster_is_teacher
from programs.models import (
    EducationLevel,
    MunicipalEvent,
    Municipality,
    Organisation,
    OrganisationYearFacts,
    Program,
    Season,
    Subject,
)
from programs.services import season_clone, shift_years
from ratings.models import Achievement, Review, ReviewAssignment, ReviewScore, Rubric, RubricCriterion
from ratings.services import rating_recompute
from reports.kpi_cache import kpi_data_changed
from reports.models import KpiBaseline, KpiSnapshot, KpiTarget, MonitoringReport
from reports.monitoring import (
    half_year_last_ended,
    half_year_previous,
    monitoring_analysis_save,
    monitoring_recommendation_add,
    monitoring_report_approve,
)
from reports.services import default_period_label, kpi_period_values, kpi_snapshot_take

COMPETENCE_PLATFORMS = [
    "Цифровой профиль компетенций педагога (ЦНППМ)",
    "Платформа «Цифровой профиль педагога»",
]
INTERVIEW_NOTES = [
    "Хочет освоить формирующее оценивание; опасается нагрузки в конце четверти.",
    "Опытный педагог, готов делиться практиками; просит больше очных форматов.",
    "Молодой специалист, нужен наставник по предмету.",
]
PSYCHOLOGIST_NOTES = [
    "Запрос: профилактика эмоционального выгорания. Договорились о практиках саморегуляции.",
    "Трудности во взаимодействии с родителями класса; разобрали сценарий встречи.",
]
GROUP_CONSULTATION_TOPICS = [
    "Подготовка видеоурока: требования и критерии",
    "Самоанализ урока: как писать рефлексию",
    "Цифровые инструменты обратной связи",
]
MENTORING_GOALS = [
    "Адаптация молодого педагога: планирование уроков, работа с документацией.",
    "Подготовка к аттестации на первую категорию.",
]
ACHIEVEMENTS = [
    ("Муниципальный конкурс «Учитель года»", "contest"),
    ("Статья в сборнике методических материалов", "publication"),
    ("Выступление на педагогической конференции", "conference"),
    ("Вебинар для коллег по формирующему оцениванию", "webinar"),
]
VISIT_LESSONS = [
    "Решение текстовых задач",
    "Функциональная грамотность: чтение графиков",
    "Обобщающий урок по теме",
]
FEEDBACK_TEXTS = [
    "Применяю приёмы формирующего оценивания на уроках математики.",
    "Стала использовать цифровые сервисы для обратной связи с учениками.",
    "Хотелось бы больше практических занятий и разборов уроков.",
    "Не хватает времени на подготовку видеоурока в конце четверти.",
    "Полезными были встречи с куратором и разбор моего урока.",
    "Нужна консультация по работе с детьми с ОВЗ.",
]
SCHOOL_APPLICATION_DETAILS = [
    "По итогам ВПР доля отметок «2» по математике и русскому языку выше муниципального уровня.",
    "Диагностика выявила предметные и методические дефициты у молодых педагогов.",
    "Коллектив просит сопровождения в подготовке к обновлённым ФГОС.",
]
SUBSCRIPTION_DEFICITS = [
    ("Формирование функциональной грамотности на уроке", "Задания PISA-типа на уроках математики"),
    ("Объективное оценивание образовательных результатов", "Критериальное оценивание письменных работ"),
    ("Работа с обучающимися с низкой учебной мотивацией", "Приёмы вовлечения на уроке"),
    ("Подготовка к ВПР", "Анализ результатов ВПР и коррекция программы"),
    ("Цифровые образовательные ресурсы", "ФГИС «Моя школа» в подготовке урока"),
]
# --- The facts the KPIs count (issue 6) ---
FACT_YEARS_FROM = 2023
TEAM_PROGRAMME_TITLES = [
    "Управленческая команда: эффективная школа",
    "Управление качеством образования в общеобразовательной организации",
    "Школа Минпросвещения России: новые возможности управленческой команды",
]
# (title, provider index, hours, continuous format): courses of additional professional education (ДПО)
PD_COURSES = [
    ("Реализация требований обновлённых ФГОС НОО, ФГОС ООО в работе учителя", 0, 36, False),
    ("Школа современного учителя: развитие естественно-научной грамотности", 0, 100, False),
    ("Формирование функциональной грамотности обучающихся", 1, 72, False),
    ("Методика подготовки обучающихся к ВПР и ГИА", 1, 36, False),
    ("Цифровые образовательные ресурсы в работе педагога: ФГИС «Моя школа»", 2, 24, False),
    ("Организация работы с обучающимися с ОВЗ в условиях инклюзивного образования", 1, 72, False),
    ("Профилактика профессионального выгорания педагога", 3, 18, False),
    ("Наставничество в образовательной организации: целевая модель", 1, 36, False),
    ("Стажировка на базе региональной инновационной площадки", 1, 48, True),
    ("Методическая сессия «Формирующее оценивание на уроке»", 4, 16, True),
    ("Сетевое профессиональное сообщество учителей-предметников", 4, 24, True),
    ("Управление образовательной организацией: команда и изменения", 0, 72, False),
    ("Разговоры о важном: организация внеурочной деятельности", 0, 36, False),
    ("Введение ФОП ДО: содержание и организация образовательной деятельности", 1, 72, False),
]
PD_PROVIDERS = [
    ("ФГАОУ ДПО «Академия Минпросвещения России»", "АМП"),
    ("АУ «Институт развития образования» ХМАО-Югры", "ИРО"),
    ("ФГАОУ ВО «Тюменский государственный университет»", "ТюмГУ"),
    ("АНО ДПО «Центр непрерывного образования педагогов»", "ЦНО"),
    ("МАУ «Центр развития образования»", "ЦРО"),
]
PD_HOURS_EXTRA = [0, 0, 0, 8, 12]
DEFICIT_AREAS = [
    "Формирование функциональной грамотности",
    "Оценивание образовательных результатов",
    "Работа с обучающимися с ОВЗ",
    "Цифровые образовательные технологии",
    "Воспитательная работа и классное руководство",
    "Предметные знания",
    "Проектная и исследовательская деятельность",
]
DEPUTY_ROLES = [
    "Заместитель директора по учебно-воспитательной работе",
    "Заместитель директора по воспитательной работе",
    "Заместитель директора по научно-методической работе",
]
EVENT_TITLES = {
    MunicipalEvent.Category.PROFESSION_STATUS: [
        "Муниципальный конкурс профессионального мастерства «Учитель года»",
        "Праздничный вечер ко Дню учителя «Учительская слава»",
        "Тренинг «Профилактика профессионального выгорания»",
        "Слёт педагогических династий",
    ],
    MunicipalEvent.Category.PRE_PROFESSIONAL: [
        "Профориентационная смена «Я — педагог» для психолого-педагогических классов",
        "Олимпиада для школьников «Педагогический старт»",
        "День открытых дверей педагогического колледжа для старшеклассников",
    ],
    MunicipalEvent.Category.METHODICAL: [
        "Августовская педагогическая конференция",
        "Муниципальный методический фестиваль открытых уроков",
        "Семинар руководителей методических объединений",
    ],
    MunicipalEvent.Category.OTHER: ["Форум молодых педагогов", "Муниципальная научно-практическая конференция"],
}
DEMO_DOMAIN = "demo-school.ru"
MARKER_EMAIL = "coordinator@demo.ru"
# (e-mail, role label) live in settings so the login page can list them; one password: settings.DEMO_PASSWORD.
DEMO_ACCOUNTS: list[tuple[str, str]] = list(settings.DEMO_ACCOUNTS)

S = Enrollment.Status
A = Attendance.Status
BATCH = 2000
KHMAO = "Ханты-Мансийский автономный округ — Югра"
KHMAO_TZ = "Asia/Yekaterinburg"

# name stem -> (full name, region, time zone, organisations at district scale, at region scale)
HOME_DISTRICTS = [
    ("Октябрьск", "Октябрьский район", KHMAO, KHMAO_TZ, (20, 30), 26),
    ("Армавир", "Армавир", "Краснодарский край", "Europe/Moscow", (25, 40), 35),
    ("Верхнебуреинск", "Верхнебуреинский район", "Хабаровский край", "Asia/Vladivostok", (15, 22), 20),
]
# KhMAO–Yugra municipalities and how many organisations each gets at region scale (roughly by population).
REGION_MUNICIPALITIES = {
    "Сургут": 110,
    "Нижневартовск": 80,
    "Ханты-Мансийск": 30,
    "Нефтеюганск": 35,
    "Когалым": 18,
    "Нягань": 20,
    "Мегион": 15,
    "Лангепас": 12,
    "Пыть-Ях": 10,
    "Радужный": 12,
    "Урай": 12,
    "Югорск": 12,
    "Покачи": 5,
    "Белоярский район": 16,
    "Берёзовский район": 18,
    "Кондинский район": 22,
    "Нефтеюганский район": 20,
    "Нижневартовский район": 20,
    "Советский район": 22,
    "Сургутский район": 40,
    "Ханты-Мансийский район": 22,
}

SUBJECTS = [
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "История",
    "Обществознание",
    "Физика",
    "Химия",
    "Биология",
    "География",
    "Информатика",
    "Физическая культура",
    "Музыка",
    "Изобразительное искусство",
    "Труд (технология)",
    "ОБЗР",
    "Начальные классы",
    "Дошкольное образование",
    "Психология",
    "Логопедия",
    "Дополнительное образование",
]
METHODIST_SUBJECTS = ["Математика", "Русский язык", "Начальные классы", "Физика", "Английский язык", "Биология"]

# (position, subjects, weight) by organisation kind.
POSITIONS = {
    Organisation.Kind.SCHOOL: [
        ("Учитель математики", ["Математика"], 12),
        ("Учитель русского языка и литературы", ["Русский язык", "Литература"], 12),
        ("Учитель начальных классов", ["Начальные классы"], 18),
        ("Учитель английского языка", ["Английский язык"], 8),
        ("Учитель истории и обществознания", ["История", "Обществознание"], 6),
        ("Учитель физики", ["Физика"], 3),
        ("Учитель химии", ["Химия"], 2),
        ("Учитель биологии", ["Биология"], 3),
        ("Учитель географии", ["География"], 2),
        ("Учитель информатики", ["Информатика"], 3),
        ("Учитель физической культуры", ["Физическая культура"], 5),
        ("Учитель музыки", ["Музыка"], 2),
        ("Учитель изобразительного искусства", ["Изобразительное искусство"], 2),
        ("Учитель труда (технологии)", ["Труд (технология)"], 2),
        ("Преподаватель-организатор ОБЗР", ["ОБЗР"], 1),
        ("Педагог-психолог", ["Психология"], 2),
        ("Учитель-логопед", ["Логопедия"], 1),
        ("Социальный педагог", [], 1),
        ("Тьютор", [], 1),
        ("Педагог-организатор", [], 1),
        ("Советник директора по воспитанию", [], 1),
        ("Заместитель директора по учебно-воспитательной работе", [], 2),
    ],
    Organisation.Kind.KINDERGARTEN: [
        ("Воспитатель", ["Дошкольное образование"], 30),
        ("Старший воспитатель", ["Дошкольное образование"], 2),
        ("Музыкальный руководитель", ["Музыка"], 2),
        ("Инструктор по физической культуре", ["Физическая культура"], 2),
        ("Учитель-логопед", ["Логопедия"], 2),
        ("Педагог-психолог", ["Психология"], 1),
    ],
    Organisation.Kind.ADDITIONAL: [
        ("Педагог дополнительного образования", ["Дополнительное образование"], 20),
        ("Тренер-преподаватель", ["Физическая культура"], 4),
        ("Методист", [], 2),
        ("Педагог-организатор", [], 3),
        ("Преподаватель (музыкальное отделение)", ["Музыка"], 3),
    ],
}
HEAD_POSITION = {
    Organisation.Kind.SCHOOL: "Директор",
    Organisation.Kind.KINDERGARTEN: "Заведующий",
    Organisation.Kind.ADDITIONAL: "Директор",
}
# teachers per organisation by scale and kind
STAFF = {
    "district": {"school": (10, 25), "kindergarten": (5, 12), "additional": (3, 8)},
    "region": {"school": (28, 70), "kindergarten": (14, 32), "additional": (8, 24)},
}
KINDERGARTEN_NAMES = [
    "Солнышко",
    "Ромашка",
    "Теремок",
    "Колокольчик",
    "Радуга",
    "Сказка",
    "Берёзка",
    "Золотой ключик",
    "Журавушка",
    "Ласточка",
    "Снежинка",
    "Родничок",
    "Светлячок",
    "Северяночка",
    "Семицветик",
    "Белочка",
]
ADDITIONAL_NAMES = [
    (
        "МБУ ДО «Дом детского творчества»",
        "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»",
    ),
    (
        "МБУ ДО «Детская школа искусств»",
        "Муниципальное бюджетное учреждение дополнительного образования «Детская школа искусств»",
    ),
    ("МБУ ДО «Спортивная школа»", "Муниципальное бюджетное учреждение дополнительного образования «Спортивная школа»"),
    (
        "МАУ ДО «Центр «Перспектива»»",
        "Муниципальное автономное учреждение дополнительного образования «Центр «Перспектива»»",
    ),
    (
        "МБУ ДО «Станция юных натуралистов»",
        "Муниципальное бюджетное учреждение дополнительного образования «Станция юных натуралистов»",
    ),
    (
        "МБУ ДО «Центр технического творчества»",
        "Муниципальное бюджетное учреждение дополнительного образования «Центр технического творчества»",
    ),
]
SCHOOL_TYPES = [
    (
        "МБОУ «СОШ № {n}»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {n}»",
        14,
    ),
    ("МАОУ «Гимназия № {n}»", "Муниципальное автономное общеобразовательное учреждение «Гимназия № {n}»", 2),
    ("МБОУ «Лицей № {n}»", "Муниципальное бюджетное общеобразовательное учреждение «Лицей № {n}»", 2),
    (
        "МКОУ «ООШ № {n}»",
        "Муниципальное казённое общеобразовательное учреждение «Основная общеобразовательная школа № {n}»",
        3,
    ),
]

REJECT_REASONS = [
    "Заявка подана повторно: у педагога уже есть заявка на этот сезон",
    "Не представлено согласие на обработку персональных данных",
    "Все места в сезоне заняты; заявка перенесена в резерв следующего сезона",
    "Не подтверждено место работы: организация не участвует в проекте",
]
INELIGIBLE_REASON = (
    "Уровень образования не соответствует условиям участия (п. 4.1 положения: высшее или среднее профессиональное)"
)
WITHDRAW_REASONS = [
    "Личное заявление: высокая учебная нагрузка в школе",
    "Личное заявление: переход на другое место работы",
    "Личное заявление: уход в отпуск по уходу за ребёнком",
    "Личное заявление: семейные обстоятельства",
    "Личное заявление: переезд в другой муниципалитет",
    "Личное заявление: по состоянию здоровья",
]
EXCUSE_REASONS = [
    "Больничный лист",
    "Курсы повышения квалификации (приказ по школе)",
    "Сопровождение учащихся на олимпиаде",
    "Служебная командировка",
    "Семейные обстоятельства (заявление)",
    "Проведение ВПР в школе",
    "Экзамен в рамках ГИА (организатор в аудитории)",
]
APPROVE_REASONS = ["", "", "Документы в порядке", "Заявка соответствует условиям участия"]
REINSTATE_REASON = "Восстановлен по решению координатора: представлена справка об уважительной причине пропуска"
COMPLETE_REASON = "Программа освоена: выполнены обязательные условия, выдан итоговый сертификат"
LESSON_TOPICS = {
    "Математика": ["Сложение дробей с разными знаменателями", "Решение квадратных уравнений", "Проценты в жизни"],
    "Русский язык": ["Правописание приставок пре- и при-", "Сложноподчинённое предложение", "Причастный оборот"],
    "Литература": ["«Капитанская дочка»: образ Гринёва", "Лирика Есенина", "Жанр басни"],
    "Английский язык": ["Present Perfect в диалогах", "My Hometown: проектная работа"],
    "Начальные классы": ["Окружающий мир: круговорот воды", "Чтение: сказки народов Севера", "Таблица умножения на 7"],
    "Физика": ["Закон Архимеда", "Электрическая цепь"],
    "Биология": ["Строение клетки", "Экосистема тайги"],
    "Дошкольное образование": ["Занятие «Зимующие птицы»", "Сенсорная игра «Цветные ладошки»"],
}
GENERIC_TOPICS = ["Урок-исследование", "Урок открытия нового знания", "Урок-практикум", "Урок рефлексии"]
STRENGTHS = [
    "Чёткая постановка цели урока, учащиеся понимают, чему учатся",
    "Удачно организована групповая работа, все дети вовлечены",
    "Выбранный формат обучения реализован последовательно",
    "Хорошая обратная связь с классом, доброжелательная атмосфера",
    "Эффективно использованы цифровые инструменты",
]
RECOMMENDATIONS = [
    "Оставьте больше времени на рефлексию в конце урока",
    "Разнообразьте формы оценивания: добавьте взаимооценку",
    "Сократите долю объяснения учителя в пользу самостоятельной работы",
    "Продумайте задания разного уровня сложности",
    "Проверьте звук: часть объяснения на видео плохо слышна",
]
RETURN_RECOMMENDATION = "Видеозапись неполная (нет второй половины урока): переснимите урок целиком"

TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)

DEMO_PEOPLE = {
    # email: (last, first, middle, female, position)
    "coordinator@demo.ru": ("Кузнецова", "Елена", "Николаевна", True, "Методист, координатор проекта"),
    "management@demo.ru": ("Волков", "Андрей", "Сергеевич", False, "Начальник управления образования"),
    "director@demo.ru": ("Соколова", "Ирина", "Александровна", True, "Директор"),
    "curator@demo.ru": ("Морозова", "Ольга", "Владимировна", True, "Куратор проекта"),
    "methodist@demo.ru": ("Павлов", "Дмитрий", "Игоревич", False, "Методист по математике"),
    "psychologist@demo.ru": ("Лебедева", "Наталья", "Павловна", True, "Педагог-психолог"),
    "tech@demo.ru": ("Новиков", "Артём", "Олегович", False, "Специалист по информационным технологиям"),
    "tutor@demo.ru": ("Фёдорова", "Светлана", "Юрьевна", True, "Тьютор"),
    "mentor@demo.ru": ("Егоров", "Виктор", "Михайлович", False, "Учитель математики, наставник"),
    "teacher@demo.ru": ("Иванова", "Мария", "Петровна", True, "Учитель математики"),
}
DEFAULT_TEAM = {
    ExpertRole.CURATOR: 3,
    ExpertRole.METHODIST: 3,
    ExpertRole.PSYCHOLOGIST: 1,
    ExpertRole.TECH_SPECIALIST: 1,
}


class DemoError(Exception):
    """The demo cannot be built (for example, no programs are loaded)."""


def ensure_role_groups() -> dict[str, Group]:
    """The «Координаторы» group with every permission of the portal's apps (and read-only «Руководство»)."""
    return role_groups_ensure()


def demo_data_exists() -> bool:
    return User.objects.filter(email__iexact=MARKER_EMAIL).exists()


def translit(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch in TRANSLIT:
            out.append("" if TRANSLIT[ch] == "-" else TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
    return "".join(out)


# Common first names and the stems of patronymics (+«ич» / +«на»): Faker's ru_RU lists are full of rare ones.
FEMALE_FIRST = (
    "Анна Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Мария Юлия Марина Галина Людмила Надежда Оксана "
    "Виктория Анастасия Дарья Ксения Алёна Валентина Лариса Любовь Вера Евгения Алла Жанна Кристина Полина "
    "Елизавета Яна Альбина Эльвира Инна Диана Гульнара Зарина Александра Василиса"
).split()
MALE_FIRST = (
    "Александр Сергей Андрей Дмитрий Алексей Максим Евгений Иван Михаил Николай Владимир Павел Артём Игорь Олег "
    "Роман Виктор Юрий Константин Денис Антон Никита Илья Кирилл Руслан Тимур Вадим Станислав Василий Григорий"
).split()
PATRONYMIC_STEMS = (
    "Александров Сергеев Андреев Дмитриев Алексеев Евгеньев Иванов Михайлов Николаев Владимиров Павлов Игорев "
    "Олегов Викторов Юрьев Константинов Анатольев Васильев Геннадьев Валерьев Петров Борисов Фёдоров Григорьев "
    "Степанов Леонидов Романов Вячеславов Рустамов Ильдаров"
).split()


class NamePool:
    """Russian names with gender agreement: surnames pooled once from Faker (ru_RU), common first names."""

    def __init__(self, seed: int, size: int = 500):
        from faker import Faker

        fake = Faker("ru_RU")
        fake.seed_instance(seed)
        # dict.fromkeys keeps the order: a set would depend on string hashing.
        female_last = list(dict.fromkeys(fake.last_name_female() for _ in range(size)))
        male_last = list(dict.fromkeys(fake.last_name_male() for _ in range(size)))
        self.female = (female_last, FEMALE_FIRST, [f"{s}на" for s in PATRONYMIC_STEMS])
        self.male = (male_last, MALE_FIRST, [f"{s}ич" for s in PATRONYMIC_STEMS])

    def pick(self, rng: Random, female: bool) -> tuple[str, str, str]:
        last, first, middle = self.female if female else self.male
        return rng.choice(last), rng.choice(first), rng.choice(middle)


def generate_names(seed: int, count: int) -> list[tuple[str, str, str]]:
    """The first `count` full names the generator gives for a seed (no database): used to check determinism."""
    rng = Random(seed)
    names = NamePool(seed)
    return [names.pick(rng, rng.random() < 0.82) for _ in range(count)]


@contextmanager
def _keep_timestamps(*fields):
    """Let bulk_create write our own historical times into auto_now_add fields."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _flag in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, flag in saved:
            f.auto_now_add = flag


def _field(model, name):
    return model._meta.get_field(name)


@dataclass
class Spec:
    """An unsaved person plus what the generator needs to know about them."""

    person: Person
    female: bool
    subjects: list[str]
    kind: str
    municipality_id: int
    low_results: bool
    needs_user: bool = False
    user_email: str = ""
    role: str = User.Role.TEACHER


class DemoGenerator:
    def __init__(self, *, scale: str, seed: int = 42, log: Callable[[str], None] = print, now: datetime | None = None):
        if scale not in STAFF:
            raise DemoError(f"Неизвестный масштаб: {scale}")
        self.scale = scale
        self.region = scale == "region"
        self.seed = seed
        self.rng = Random(seed)
        self.log = log
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts: dict[str, int] = {}
        self._t = time.monotonic()

    # --- helpers ------------------------------------------------------------------------------------
    def step(self, label: str, n: int | None = None):
        took = time.monotonic() - self._t
        self._t = time.monotonic()
        suffix = f": {n:,}".replace(",", " ") if n is not None else ""
        self.log(f"  {label}{suffix} ({took:.1f} с)")

    def bulk(self, model, objs, label: str | None = None, **kw):
        objs = model.objects.bulk_create(objs, batch_size=BATCH, **kw)
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(objs)
        return objs

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.randint(0, int((end - start).total_seconds())))

    # --- main ---------------------------------------------------------------------------------------
    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.groups = ensure_role_groups()
        self.password = make_password(settings.DEMO_PASSWORD)  # hashed once, shared by every demo account
        self.names = NamePool(self.seed)
        self.program_seasons = self.prepare_seasons()
        self.step("Сезоны программ", sum(len(v) for v in self.program_seasons.values()))
        self.subjects = self.ensure_subjects()
        self.municipalities = self.ensure_municipalities()
        self.organisations = self.create_organisations()
        self.step("Организации", len(self.organisations))
        self.specs = self.generate_teachers()
        self.step("Педагоги (в памяти)", len(self.specs))
        self.teams = self.generate_teams()
        self.demo = self.generate_demo_people()
        self.plan_enrollments()
        self.save_people()
        self.step("Люди и учётные записи", self.counts.get("Люди"))
        self.create_expert_assignments()
        self.step("Назначения экспертов", self.counts.get("Назначения экспертов"))
        self.create_enrollments()
        self.step("Участие и история статусов", self.counts.get("Участие"))
        self.create_attendance()
        self.step("Посещаемость", self.counts.get("Отметки посещаемости", 0))
        self.create_submissions()
        self.step("Видеоуроки и рецензии", self.counts.get("Видеоуроки", 0))
        self.create_feedback()
        self.step("Ежеквартальная обратная связь", self.counts.get("Ответы на обратную связь", 0))
        self.create_subscription()
        self.step(
            "Методический абонемент: заявки школ, запросы, маршруты", self.counts.get("Индивидуальные запросы", 0)
        )
        self.create_expert_work()
        self.step("Группы, посещения уроков, консультации, наставники, достижения", self.counts.get("Группы", 0))
        self.compute_ratings()
        self.step("Рейтинг участников", self.counts.get("Строки рейтинга", 0))
        self.create_kpi_facts()
        self.step(
            "Повышение квалификации, диагностики, управленческие команды, сведения школ, мероприятия",
            self.counts.get("Повышение квалификации", 0),
        )
        self.run_jobs()
        return self.counts

    # --- seasons ------------------------------------------------------------------------------------
    def prepare_seasons(self) -> dict[Program, list[Season]]:
        programs = list(Program.objects.select_related("municipality", "organiser").order_by("pk"))
        if not programs:
            raise DemoError("Нет ни одной программы: сначала выполните manage.py load_programs.")
        keep = 3 if self.region else 2
        result = {}
        for program in programs:
            seasons = list(program.seasons.order_by("starts_on", "pk"))
            if not seasons:
                continue
            # Relaunch the latest season up to the current academic year (and for a region to three seasons),
            # cloning straight to each wanted year so that no empty in-between seasons appear.
            latest = seasons[-1]
            last_year = 0
            while shift_years(latest.ends_on, last_year) < self.today and last_year < 50:
                last_year += 1
            years = [y for y in range(last_year - keep + 1, last_year + 1) if y > 0]
            while self.region and len(seasons) + len(years) < keep:
                years.append((years[-1] if years else 0) + 1)
            for y in years:
                clone = season_clone(source=latest, years=y)
                seasons.append(clone)
                self.counts["Сезоны (копии)"] = self.counts.get("Сезоны (копии)", 0) + 1
            result[program] = seasons[-keep:]
        if not result:
            raise DemoError("У программ нет сезонов: сначала выполните manage.py load_programs.")
        return result

    # --- reference data -----------------------------------------------------------------------------
    def ensure_subjects(self) -> dict[str, Subject]:
        existing = {s.name: s for s in Subject.objects.all()}
        missing = [Subject(name=n) for n in SUBJECTS if n not in existing]
        for s in Subject.objects.bulk_create(missing):
            existing[s.name] = s
        return existing

    def ensure_municipalities(self) -> list[tuple[Municipality, int]]:
        """(municipality, organisations to create) for the scale."""
        out = []
        for stem, name, region, tz, district_range, region_count in HOME_DISTRICTS:
            muni = Municipality.objects.filter(name__icontains=stem).order_by("pk").first()
            if muni is None:
                muni = Municipality.objects.create(name=name, region=region, time_zone=tz)
            count = region_count if self.region else self.rng.randint(*district_range)
            out.append((muni, count))
        if self.region:
            for name, count in REGION_MUNICIPALITIES.items():
                muni, _ = Municipality.objects.get_or_create(
                    name=name, defaults={"region": KHMAO, "time_zone": KHMAO_TZ}
                )
                out.append((muni, count))
        # Programs loaded for other municipalities get a few schools too, so that their seasons have people.
        known = {m.pk for m, _ in out}
        for program in self.program_seasons:
            if program.municipality_id not in known:
                known.add(program.municipality_id)
                out.append((program.municipality, self.rng.randint(15, 20)))
        return out

    def create_organisations(self) -> list[Organisation]:
        rng = self.rng
        taken = defaultdict(set)
        for muni_id, short in Organisation.objects.values_list("municipality_id", "short_name"):
            taken[muni_id].add(short)
        new = []
        for muni, count in self.municipalities:
            n_school = round(count * 0.5)
            n_kg = round(count * 0.35)
            n_add = max(count - n_school - n_kg, 1)
            number = 0
            for _ in range(n_school):
                short_t, full_t, _w = rng.choices(SCHOOL_TYPES, weights=[t[2] for t in SCHOOL_TYPES])[0]
                number += rng.randint(1, 2)
                short = short_t.format(n=number)
                while short in taken[muni.pk]:
                    number += 1
                    short = short_t.format(n=number)
                taken[muni.pk].add(short)
                new.append(
                    Organisation(
                        municipality=muni,
                        short_name=short,
                        name=full_t.format(n=number),
                        kind=Organisation.Kind.SCHOOL,
                        low_results=rng.random() < 0.12,
                    )
                )
            for i in range(n_kg):
                short = f"МБДОУ «Детский сад № {i + 1} «{rng.choice(KINDERGARTEN_NAMES)}»»"
                if short in taken[muni.pk]:
                    continue
                taken[muni.pk].add(short)
                full = short.replace("МБДОУ", "Муниципальное бюджетное дошкольное образовательное учреждение", 1)
                new.append(
                    Organisation(municipality=muni, short_name=short, name=full, kind=Organisation.Kind.KINDERGARTEN)
                )
            for i in range(n_add):
                short, full = ADDITIONAL_NAMES[i % len(ADDITIONAL_NAMES)]
                if i >= len(ADDITIONAL_NAMES):
                    short, full = (
                        f"{short[:-1]} № {i // len(ADDITIONAL_NAMES) + 1}»",
                        f"{full[:-1]} № {i // len(ADDITIONAL_NAMES) + 1}»",
                    )
                if short in taken[muni.pk]:
                    continue
                taken[muni.pk].add(short)
                new.append(
                    Organisation(municipality=muni, short_name=short, name=full, kind=Organisation.Kind.ADDITIONAL)
                )
        self.bulk(Organisation, new, "Организации")
        muni_ids = [m.pk for m, _ in self.municipalities]
        # Existing schools of these municipalities (say, from load_programs) get teachers as well.
        return list(
            Organisation.objects.filter(
                municipality_id__in=muni_ids,
                kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.KINDERGARTEN, Organisation.Kind.ADDITIONAL],
            ).order_by("pk")
        )

    # --- people -------------------------------------------------------------------------------------
    def make_person(self, *, org: Organisation, position: str, subjects: list[str], female: bool, **extra) -> Spec:
        rng = self.rng
        last, first, middle = self.names.pick(rng, female)
        age = rng.choices([rng.randint(22, 29), rng.randint(30, 45), rng.randint(46, 64)], weights=[18, 45, 37])[0]
        birth = self.today.replace(year=self.today.year - age, month=1, day=1) + timedelta(days=rng.randint(0, 364))
        experience = max(0, min(age - 21, int(rng.triangular(0, age - 21, (age - 21) * 0.7))))
        edu = rng.choices(
            [EducationLevel.HIGHER, EducationLevel.SECONDARY_VOCATIONAL, EducationLevel.SECONDARY_GENERAL],
            weights=[80, 17, 3],
        )[0]
        if experience < 2:
            category = Person.Category.NONE
        else:
            category = rng.choices(
                [Person.Category.NONE, Person.Category.CONFORMITY, Person.Category.FIRST, Person.Category.HIGHEST],
                weights=[15, 20, 35, 30 if experience > 10 else 8],
            )[0]
        phone = f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        person = Person(
            last_name=last,
            first_name=first,
            middle_name=middle,
            birth_date=birth,
            phone=phone,
            organisation=org,
            position=position,
            education_level=edu,
            experience_years=experience,
            category=category,
            created_at=self.now - timedelta(days=rng.randint(30, 900)),
        )
        for key, value in extra.items():
            setattr(person, key, value)
        return Spec(
            person=person,
            female=female,
            subjects=subjects,
            kind=org.kind,
            municipality_id=org.municipality_id,
            low_results=org.low_results,
        )

    def generate_teachers(self) -> list[Spec]:
        rng = self.rng
        specs = []
        for org in self.organisations:
            low, high = STAFF[self.scale][org.kind]
            catalogue = POSITIONS[org.kind]
            weights = [p[2] for p in catalogue]
            female_share = 0.97 if org.kind == Organisation.Kind.KINDERGARTEN else 0.82
            head = self.make_person(
                org=org, position=HEAD_POSITION[org.kind], subjects=[], female=rng.random() < 0.75, is_manager=True
            )
            head.person.education_level = EducationLevel.HIGHER
            specs.append(head)
            for _ in range(rng.randint(low, high)):
                position, subjects, _w = rng.choices(catalogue, weights=weights)[0]
                spec = self.make_person(
                    org=org, position=position, subjects=subjects, female=rng.random() < female_share
                )
                spec.person.is_manager = position.startswith("Заместитель")
                specs.append(spec)
        for i, spec in enumerate(specs, start=1):
            p = spec.person
            spec.person.email = f"{translit(p.last_name)}.{translit(p.first_name)[:1]}{i}@{DEMO_DOMAIN}"
        return specs

    def generate_teams(self) -> dict[int, dict[str, list[tuple[Spec, str | None]]]]:
        """Per program: role -> [(person, subject)], the same people across the program's seasons."""
        rng = self.rng
        teams = {}
        self.season_roles: dict[int, dict[str, int]] = {}
        for program, seasons in self.program_seasons.items():
            need: dict[str, int] = defaultdict(int)
            for season in seasons:
                roles = {r.role: r.planned_count for r in season.expert_roles.all()} or dict(DEFAULT_TEAM)
                self.season_roles[season.pk] = roles
                for role, count in roles.items():
                    need[role] = max(need[role], count)
            schools = [
                o for o in self.organisations if o.municipality_id == program.municipality_id
            ] or self.organisations
            team = defaultdict(list)
            for role in sorted(need):
                for i in range(need[role]):
                    if role in (
                        ExpertRole.CURATOR,
                        ExpertRole.METHODIST,
                        ExpertRole.TECH_SPECIALIST,
                        ExpertRole.PROJECT_HEAD,
                    ):
                        org = program.organiser
                    else:
                        org = rng.choice(schools)
                    subject = METHODIST_SUBJECTS[i % len(METHODIST_SUBJECTS)] if role == ExpertRole.METHODIST else None
                    position = {
                        ExpertRole.CURATOR: "Методист, куратор проекта",
                        ExpertRole.METHODIST: f"Методист ({subject})" if subject else "Методист",
                        ExpertRole.PSYCHOLOGIST: "Педагог-психолог",
                        ExpertRole.TECH_SPECIALIST: "Специалист по информационным технологиям",
                        ExpertRole.TUTOR: "Тьютор",
                        ExpertRole.MENTOR: "Учитель высшей категории, наставник",
                        ExpertRole.PROJECT_HEAD: "Заместитель директора, руководитель проекта",
                        ExpertRole.ADMINISTRATOR: "Директор районного информационно-методического центра",
                    }[role]
                    spec = self.make_person(
                        org=org, position=position, subjects=[subject] if subject else [], female=rng.random() < 0.8
                    )
                    p = spec.person
                    p.education_level = EducationLevel.HIGHER
                    p.category = Person.Category.HIGHEST
                    p.experience_years = max(p.experience_years or 0, 12)
                    spec.needs_user = True
                    spec.role = User.Role.EXPERT
                    spec.user_email = (
                        f"ekspert.{translit(p.last_name)}.{translit(program.code).lower()}{role[:3]}{i}@{DEMO_DOMAIN}"
                    )
                    p.email = spec.user_email
                    team[role].append((spec, subject))
            teams[program.pk] = team
        return teams

    def generate_demo_people(self) -> dict[str, Spec]:
        programs = list(self.program_seasons)
        self.pt = next((p for p in programs if "прогрессивн" in p.title.lower()), programs[0])
        pt_orgs = [o for o in self.organisations if o.municipality_id == self.pt.municipality_id]
        school = next((o for o in pt_orgs if o.kind == Organisation.Kind.SCHOOL), self.organisations[0])

        def program_with(role):
            for p in programs:
                if p != self.pt and role in self.teams[p.pk]:
                    return p
            return self.pt

        homes = {
            "director@demo.ru": school,
            "teacher@demo.ru": school,
            "psychologist@demo.ru": school,
        }
        demo = {}
        for email, (last, first, middle, female, position) in DEMO_PEOPLE.items():
            org = homes.get(email, self.pt.organiser)
            if email == "tutor@demo.ru":
                org = program_with(ExpertRole.TUTOR).organiser
            if email == "mentor@demo.ru":
                org = next(
                    (
                        o
                        for o in self.organisations
                        if o.municipality_id == program_with(ExpertRole.MENTOR).municipality_id
                    ),
                    school,
                )
            spec = self.make_person(org=org, position=position, subjects=[], female=female)
            p = spec.person
            p.last_name, p.first_name, p.middle_name, p.email = last, first, middle, email
            p.education_level = EducationLevel.HIGHER
            p.category = Person.Category.HIGHEST if email != "teacher@demo.ru" else Person.Category.FIRST
            p.experience_years = max(p.experience_years or 0, 5)
            p.is_manager = email in ("director@demo.ru", "management@demo.ru")
            spec.needs_user, spec.user_email = True, email
            spec.role = {
                "coordinator@demo.ru": User.Role.COORDINATOR,
                "management@demo.ru": User.Role.MANAGEMENT,
                "director@demo.ru": User.Role.DIRECTOR,
                "teacher@demo.ru": User.Role.TEACHER,
            }.get(email, User.Role.EXPERT)
            if email in ("methodist@demo.ru", "teacher@demo.ru", "mentor@demo.ru"):
                spec.subjects = ["Математика"]
            demo[email] = spec
        # Demo experts take the first place of their role in the team; tutor and mentor where the role exists.
        pt_team = self.teams[self.pt.pk]
        for email, role in (
            ("curator@demo.ru", ExpertRole.CURATOR),
            ("methodist@demo.ru", ExpertRole.METHODIST),
            ("psychologist@demo.ru", ExpertRole.PSYCHOLOGIST),
            ("tech@demo.ru", ExpertRole.TECH_SPECIALIST),
        ):
            self._put_first(pt_team, role, demo[email], "Математика" if role == ExpertRole.METHODIST else None)
        for email, role in (("tutor@demo.ru", ExpertRole.TUTOR), ("mentor@demo.ru", ExpertRole.MENTOR)):
            program = program_with(role)
            if role not in self.teams[program.pk]:
                # No program plans this role: the demo account joins the Progressive Teacher seasons anyway.
                for season in self.program_seasons[program]:
                    self.season_roles[season.pk][role] = 1
            self._put_first(self.teams[program.pk], role, demo[email], None)
        # A few more coordinators: one per other program municipality, to sign status changes.
        self.coordinators = {}
        for program in programs:
            if program.municipality_id == self.pt.municipality_id:
                self.coordinators[program.pk] = demo["coordinator@demo.ru"]
                continue
            spec = self.make_person(
                org=program.organiser, position="Методист, координатор программы", subjects=[], female=True
            )
            spec.person.education_level = EducationLevel.HIGHER
            spec.needs_user, spec.role = True, User.Role.COORDINATOR
            spec.user_email = f"koordinator.{translit(program.code).lower()}@{DEMO_DOMAIN}"
            spec.person.email = spec.user_email
            self.coordinators[program.pk] = spec
        return demo

    @staticmethod
    def _put_first(team, role, spec, subject):
        if team.get(role):
            team[role][0] = (spec, subject)
        else:
            team[role] = [(spec, subject)]

    # --- enrollment plan ----------------------------------------------------------------------------
    def season_size(self, season: Season, pool: int) -> int:
        if not self.region:
            return min(self.rng.randint(40, 150), int(pool * 0.7))
        return min(self.rng.randint(*self.region_range), int(pool * 0.6))

    def plan_enrollments(self) -> None:
        rng = self.rng
        by_muni = defaultdict(list)
        for spec in self.specs:
            if spec.kind != Organisation.Kind.METHODICAL_CENTRE:
                by_muni[spec.municipality_id].append(spec)
        khmao = [m.pk for m, _ in self.municipalities if m.region == KHMAO]
        if self.region:
            # Size seasons so that the region reaches ~200,000 attendance marks and ~40,000 video lessons.
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            past_sessions = Session.objects.filter(activity__season__in=seasons, ends_at__lt=self.now).count()
            due = VideoAssignment.objects.filter(activity__season__in=seasons, due_at__lt=self.now).count()
            target = max(200_000 / (0.75 * max(past_sessions, 1)), 40_000 / (0.7 * max(due, 1)))
            target = int(min(max(target, 400), 5200))
            self.region_range = (int(target * 0.8), int(target * 1.2))
        self.plan: dict[int, list[tuple[Spec, str]]] = {}
        demo_teacher = self.demo["teacher@demo.ru"]
        self.pt_season = self._demo_season()
        experts = {id(spec) for team in self.teams.values() for members in team.values() for spec, _ in members}
        for program, seasons in self.program_seasons.items():
            munis = [program.municipality_id]
            if self.region and program.municipality.region == KHMAO:
                munis = khmao
            pool = [s for m in munis for s in by_muni[m] if id(s) not in experts]
            if program.kind == Program.Kind.SUBSCRIPTION:
                # The Methodical Subscription is for schools with low results first.
                pool.sort(key=lambda s: (not s.low_results, s.kind != Organisation.Kind.SCHOOL))
            if not pool:
                pool = [s for s in self.specs if id(s) not in experts]
            for season in seasons:
                if season.registration_opens_at >= self.now:
                    self.plan[season.pk] = []
                    continue
                n = self.season_size(season, len(pool))
                if program.kind == Program.Kind.SUBSCRIPTION:
                    chosen = pool[: max(n, 1)]
                else:
                    chosen = rng.sample(pool, max(n, 1))
                phase = self.phase(season)
                plan = []
                for spec in chosen:
                    status = self.pick_status(phase, spec)
                    plan.append((spec, status))
                    spec.needs_user = True
                if season.pk == self.pt_season.pk:
                    plan.insert(0, (demo_teacher, S.ACTIVE))
                self.plan[season.pk] = plan
        self.ensure_every_status()

    def _demo_season(self) -> Season:
        """The Progressive Teacher season the demo accounts live in: the latest one already under way."""
        seasons = self.program_seasons[self.pt]
        started = [s for s in seasons if s.starts_on <= self.today]
        return started[-1] if started else seasons[-1]

    def phase(self, season: Season) -> str:
        if season.ends_on < self.today:
            return "past"
        if season.starts_on > self.today:
            return "future"
        return "current"

    def pick_status(self, phase: str, spec: Spec) -> str:
        rng = self.rng
        if spec.person.education_level == EducationLevel.SECONDARY_GENERAL:
            return S.REJECTED
        weights = {
            "past": {S.COMPLETED: 66, S.EXCLUDED: 10, S.WITHDRAWN: 10, S.REJECTED: 8, S.ACTIVE: 0, S.APPLIED: 0},
            "current": {S.ACTIVE: 72, S.APPLIED: 9, S.REJECTED: 6, S.WITHDRAWN: 7, S.EXCLUDED: 6, S.COMPLETED: 0},
            "future": {S.APPLIED: 60, S.ACTIVE: 30, S.REJECTED: 6, S.WITHDRAWN: 4, S.EXCLUDED: 0, S.COMPLETED: 0},
        }[phase]
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def ensure_every_status(self) -> None:
        """Tiny or single-phase data sets still show every status (in the latest season of the first program)."""
        present = {status for plan in self.plan.values() for _, status in plan}
        latest = self.program_seasons[self.pt][-1].pk
        plan = self.plan[latest]
        i = len(plan) - 1
        for status in S.values:
            if status not in present and i > 0:
                plan[i] = (plan[i][0], status)
                i -= 1

    # --- saving people ------------------------------------------------------------------------------
    def save_people(self) -> None:
        all_specs = list(self.specs)
        seen = {id(s) for s in all_specs}
        for team in self.teams.values():
            for members in team.values():
                for spec, _ in members:
                    if id(spec) not in seen:
                        seen.add(id(spec))
                        all_specs.append(spec)
        for spec in list(self.demo.values()) + list(self.coordinators.values()):
            if id(spec) not in seen:
                seen.add(id(spec))
                all_specs.append(spec)
        users = []
        owners = []
        for spec in all_specs:
            if spec.needs_user:
                email = spec.user_email or spec.person.email
                spec.user_email = email
                users.append(
                    User(
                        email=email,
                        password=self.password,
                        role=spec.role,
                        date_joined=spec.person.created_at,
                        # Registered people confirmed their address; an unconfirmed one could not sign in.
                        email_confirmed_at=spec.person.created_at,
                    )
                )
                owners.append(spec)
        for user, spec in zip(users, owners, strict=True):
            if spec.role in (User.Role.COORDINATOR, User.Role.MANAGEMENT):
                user.municipality_id = spec.municipality_id
            if spec.role == User.Role.COORDINATOR:
                user.is_staff = True
        admin = User(
            email="admin@demo.ru", password=self.password, role=User.Role.COORDINATOR, is_staff=True, is_superuser=True
        )
        users.append(admin)
        self.bulk(User, users, "Учётные записи")
        for user, spec in zip(users, owners, strict=False):
            spec.person.user = user
        coordinators = [s.person.user for s in self.coordinators.values()]
        coordinators = list({u.pk: u for u in coordinators}.values())
        demo_coord = self.demo["coordinator@demo.ru"].person.user
        demo_coord.municipality_id = self.pt.municipality_id
        User.objects.filter(pk=demo_coord.pk).update(municipality_id=self.pt.municipality_id)
        Group.objects.get(name=COORDINATORS).user_set.add(*coordinators)
        Group.objects.get(name=MANAGEMENT).user_set.add(self.demo["management@demo.ru"].person.user)
        with _keep_timestamps(_field(Person, "created_at")):
            self.bulk(Person, [s.person for s in all_specs], "Люди")
        through = Person.subjects.through
        links = [
            through(person_id=s.person.pk, subject_id=self.subjects[name].pk)
            for s in all_specs
            for name in s.subjects
            if name in self.subjects
        ]
        self.bulk(through, links)

    # --- experts ------------------------------------------------------------------------------------
    def create_expert_assignments(self) -> None:
        objs = []
        for program, seasons in self.program_seasons.items():
            team = self.teams[program.pk]
            for season in seasons:
                for role, count in sorted(self.season_roles[season.pk].items()):
                    for spec, subject in team.get(role, [])[:count]:
                        objs.append(
                            ExpertAssignment(
                                season=season,
                                person=spec.person,
                                role=role,
                                subject=self.subjects[subject] if subject else None,
                                assigned_at=self.at(season.starts_on) - timedelta(days=10),
                            )
                        )
        with _keep_timestamps(_field(ExpertAssignment, "assigned_at")):
            objs = self.bulk(ExpertAssignment, objs, "Назначения экспертов")
        self.season_experts: dict[int, dict[str, list[ExpertAssignment]]] = defaultdict(lambda: defaultdict(list))
        for a in objs:
            self.season_experts[a.season_id][a.role].append(a)

    def at(self, day, hour: int = 9, tz=None) -> datetime:
        return datetime.combine(day, dtime(hour, 0), tzinfo=tz or timezone.get_current_timezone())

    # --- enrollments --------------------------------------------------------------------------------
    def create_enrollments(self) -> None:
        rng = self.rng
        enrollments, histories = [], []
        self.windows: list[tuple] = []  # (enrollment, active from, active until, status, why excluded, spec)
        for program, seasons in self.program_seasons.items():
            coordinator = self.coordinators[program.pk].person.user
            for season in seasons:
                sessions = self.season_sessions(season)
                assignments = self.season_assignments(season)
                formats = sorted({f for m in season.modules.all() for f in (m.learning_formats or [])})
                opens = season.registration_opens_at
                closes = min(season.registration_closes_at, self.now - timedelta(hours=1))
                end = min(self.at(season.ends_on, 18, tz=season.tz), self.now - timedelta(minutes=30))
                for spec, status in self.plan[season.pk]:
                    user = spec.person.user
                    applied = self.between(opens, closes)
                    e = Enrollment(
                        person=spec.person,
                        season=season,
                        status=status,
                        applied_at=applied,
                        preferred_format=rng.choice(formats) if formats else "",
                    )
                    hist = [("", S.APPLIED, applied, user, "")]
                    active_from = active_until = None
                    reason_session = None
                    if status in (S.ACTIVE, S.WITHDRAWN, S.EXCLUDED, S.COMPLETED) and not (
                        status == S.WITHDRAWN and rng.random() < 0.3
                    ):
                        approved = min(applied + timedelta(hours=rng.randint(4, 96)), self.now - timedelta(minutes=10))
                        hist.append((S.APPLIED, S.ACTIVE, approved, coordinator, rng.choice(APPROVE_REASONS)))
                        active_from = approved
                        e.chat_joined_at = min(approved + timedelta(hours=rng.randint(1, 72)), self.now)
                    if status == S.REJECTED:
                        when = min(applied + timedelta(days=rng.randint(1, 5)), self.now - timedelta(minutes=5))
                        reason = (
                            INELIGIBLE_REASON
                            if spec.person.education_level == EducationLevel.SECONDARY_GENERAL
                            else rng.choice(REJECT_REASONS)
                        )
                        hist.append((S.APPLIED, S.REJECTED, when, coordinator, reason))
                    elif status == S.WITHDRAWN:
                        frm = S.ACTIVE if active_from else S.APPLIED
                        base = active_from or applied
                        when = self.between(base + timedelta(days=1), max(end, base + timedelta(days=1)))
                        when = min(when, self.now - timedelta(minutes=5))
                        hist.append((frm, S.WITHDRAWN, when, user, rng.choice(WITHDRAW_REASONS)))
                        active_until = when
                    elif status == S.EXCLUDED:
                        when, reason, reason_session = self.exclusion(season, active_from, sessions, assignments)
                        hist.append((S.ACTIVE, S.EXCLUDED, when, coordinator, reason))
                        active_until = when
                    elif status == S.COMPLETED:
                        when = max(end, active_from + timedelta(hours=1))
                        hist.append((S.ACTIVE, S.COMPLETED, when, coordinator, COMPLETE_REASON))
                    elif status == S.ACTIVE and rng.random() < 0.03 and sessions:
                        # Excluded for a missed session, then reinstated on a medical certificate.
                        when, reason, reason_session = self.exclusion(season, active_from, sessions, [])
                        if reason_session is not None:
                            back = min(when + timedelta(days=rng.randint(2, 7)), self.now - timedelta(minutes=1))
                            hist.append((S.ACTIVE, S.EXCLUDED, when, coordinator, reason))
                            hist.append((S.EXCLUDED, S.ACTIVE, back, coordinator, REINSTATE_REASON))
                    hist.sort(key=lambda h: h[2])
                    e.status_changed_at = hist[-1][2]
                    enrollments.append(e)
                    histories.append(hist)
                    self.windows.append((e, active_from, active_until, status, reason_session, spec))
        enrollments = self.bulk(Enrollment, enrollments, "Участие")
        changes = [
            EnrollmentStatusChange(
                enrollment=e, from_status=f, to_status=t, changed_at=when, changed_by=who, reason=reason
            )
            for e, hist in zip(enrollments, histories, strict=True)
            for f, t, when, who, reason in hist
        ]
        self.bulk(EnrollmentStatusChange, changes, "Изменения статусов")
        by_status = defaultdict(int)
        for e in enrollments:
            by_status[e.status] += 1
        for status in S:
            self.counts[f"  — {status.label}"] = by_status[status.value]

    def season_sessions(self, season: Season) -> list[Session]:
        if not hasattr(self, "_sessions"):
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            self._sessions = defaultdict(list)
            for s in (
                Session.objects.filter(activity__season__in=seasons)
                .select_related("activity")
                .order_by("starts_at", "pk")
            ):
                self._sessions[s.activity.season_id].append(s)
        return self._sessions[season.pk]

    def season_assignments(self, season: Season) -> list[VideoAssignment]:
        if not hasattr(self, "_assignments"):
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            self._assignments = defaultdict(list)
            for v in (
                VideoAssignment.objects.filter(activity__season__in=seasons)
                .select_related("activity__module")
                .order_by("due_at", "pk")
            ):
                self._assignments[v.activity.season_id].append(v)
        return self._assignments[season.pk]

    def exclusion(self, season, active_from, sessions, assignments):
        """When and why an active participant was excluded (and the session they missed, if that was why)."""
        rng = self.rng
        base = active_from or self.now - timedelta(days=1)
        missed = [
            s
            for s in sessions
            if s.activity.is_mandatory and base < s.starts_at and s.ends_at < self.now - timedelta(days=1)
        ]
        overdue = [v for v in assignments if base < v.opens_at and v.cutoff_at < self.now - timedelta(days=1)]
        tz = season.tz
        if overdue and (not missed or rng.random() < 0.4):
            v = rng.choice(overdue)
            when = min(v.cutoff_at + timedelta(days=rng.randint(1, 4)), self.now - timedelta(minutes=5))
            reason = (
                f"Видеоурок по заданию «{v.activity.title}» не сдан до окончательного срока "
                f"{timezone.localtime(v.cutoff_at, tz):%d.%m.%Y} (п. 5.5 положения)"
            )
            return when, reason, ("video", v.pk)
        if missed:
            s = rng.choice(missed)
            when = min(s.ends_at + timedelta(days=rng.randint(1, 4)), self.now - timedelta(minutes=5))
            reason = (
                f"Неуважительный пропуск обязательного мероприятия «{s.activity.title}» "
                f"{timezone.localtime(s.starts_at, tz):%d.%m.%Y} (п. 5.5 положения)"
            )
            return when, reason, s.pk
        when = min(base + timedelta(days=season.chat_join_days or 7, hours=1), self.now - timedelta(minutes=5))
        return when, "Не вступил в информационный чат участников в установленный срок (п. 4.4 положения)", None

    # --- attendance ---------------------------------------------------------------------------------
    def create_attendance(self) -> None:
        rng = self.rng
        demo_enrollment = None
        rows = []
        for e, active_from, active_until, status, reason_session, spec in self.windows:
            if active_from is None:
                continue
            is_demo = spec is self.demo["teacher@demo.ru"]
            if is_demo:
                demo_enrollment = e
            experts = self.season_experts[e.season_id]
            markers = experts.get(ExpertRole.TECH_SPECIALIST) or experts.get(ExpertRole.CURATOR) or [None]
            until = active_until or self.now
            diligence = rng.random()  # some people miss more than others
            for s in self.season_sessions(e.season):
                if not (active_from <= s.starts_at and s.ends_at < until and s.ends_at < self.now):
                    continue
                audience = s.activity.audience
                # A teacher attends the intensive of the format chosen (seed 000 §3), and only meetings they are
                # invited to: no marks at the other three intensives.
                if audience == "format" and e.preferred_format != s.activity.learning_format:
                    continue
                if audience == "invited":
                    continue
                if not s.activity.is_mandatory and audience != "format" and rng.random() < 0.4:
                    continue
                reason = ""
                if reason_session == s.pk:
                    if status == S.ACTIVE:  # reinstated: the absence turned out to be excused
                        mark, reason = A.EXCUSED, "Больничный лист (справка представлена после исключения)"
                    else:
                        mark = A.ABSENT
                elif is_demo:
                    mark = A.PRESENT
                else:
                    r = rng.random()
                    if r < 0.80 + 0.12 * diligence:
                        mark = A.PRESENT
                    elif r < 0.94:
                        mark, reason = A.LATE, rng.choice(["", "", "Опоздание 10 минут", "Подключился с опозданием"])
                    elif r < 0.98 or status in (S.ACTIVE, S.COMPLETED) and s.activity.is_mandatory:
                        mark, reason = A.EXCUSED, rng.choice(EXCUSE_REASONS)
                    else:
                        mark = A.ABSENT
                marker = rng.choice(markers)
                rows.append(
                    Attendance(
                        session=s,
                        enrollment=e,
                        status=mark,
                        reason=reason,
                        marked_at=s.ends_at + timedelta(minutes=rng.randint(5, 180)),
                        marked_by=marker.person if marker else None,
                    )
                )
            if len(rows) >= 20_000:
                self.bulk(Attendance, rows, "Отметки посещаемости")
                rows = []
        self.bulk(Attendance, rows, "Отметки посещаемости")
        self.demo_enrollment = demo_enrollment

    # --- submissions and reviews --------------------------------------------------------------------
    def create_submissions(self) -> None:
        rng = self.rng
        rubrics = {}
        for rubric in Rubric.objects.filter(is_current=True).order_by("pk"):
            rubrics[rubric.program_id] = (
                rubric,
                list(RubricCriterion.objects.filter(rubric=rubric).order_by("order", "pk")),
            )
        season_program = {s.pk: p.pk for p, ss in self.program_seasons.items() for s in ss}
        subs, reviews_plan = [], []
        for e, active_from, active_until, _status, reason_session, spec in self.windows:
            if active_from is None:
                continue
            is_demo = spec is self.demo["teacher@demo.ru"]
            until = active_until or self.now
            assignments = self.season_assignments(e.season)
            for v in assignments:
                if reason_session == ("video", v.pk):
                    continue  # the lesson whose absence got them excluded
                if is_demo:
                    if v.opens_at >= self.now:
                        continue
                elif not (active_from < v.due_at < min(until, self.now)) or rng.random() > 0.9:
                    continue
                late = not is_demo and rng.random() < 0.12 and v.due_at + timedelta(hours=2) < min(v.cutoff_at, until)
                if late:
                    at = self.between(v.due_at + timedelta(hours=1), min(v.cutoff_at, until, self.now))
                else:
                    at = self.between(max(v.opens_at, active_from), min(v.due_at, self.now - timedelta(hours=2)))
                subject = spec.subjects[0] if spec.subjects else None
                topics = LESSON_TOPICS.get(subject, GENERIC_TOPICS)
                formats = (v.activity.module.learning_formats if v.activity.module else None) or []
                fmt = e.preferred_format or (rng.choice(formats) if formats else "")
                age = (self.now - at).days
                base = dict(
                    assignment=v,
                    enrollment=e,
                    topic=rng.choice(topics),
                    grade=f"{rng.randint(1, 11)} «{rng.choice('АБВ')}»"
                    if spec.kind == Organisation.Kind.SCHOOL
                    else ("Старшая группа" if spec.kind == Organisation.Kind.KINDERGARTEN else ""),
                    subject=self.subjects.get(subject) if subject else None,
                    learning_format=fmt,
                    reflection="Цель урока достигнута; в следующий раз уделю больше времени самостоятельной работе.",
                )
                program_id = season_program[e.season_id]
                if not is_demo and rng.random() < 0.05 and program_id in rubrics and self.reviewers(e.season_id):
                    # A first version returned for rework, then a new current version.
                    v1 = Submission(
                        **base,
                        version=1,
                        is_current=False,
                        video_url=self.video_url(),
                        submitted_at=at - timedelta(days=3) if at - timedelta(days=3) > v.opens_at else at,
                        status=Submission.Status.RETURNED,
                    )
                    subs.append(v1)
                    reviews_plan.append((v1, Review.Status.RETURNED, spec, at - timedelta(days=1), True))
                    version = 2
                else:
                    version = 1
                if is_demo or age > 30:
                    st = rng.choices(["reviewed", "in_review", "submitted"], weights=[90, 6, 4])[0]
                else:
                    st = rng.choices(["reviewed", "in_review", "submitted"], weights=[30, 35, 35])[0]
                if is_demo:
                    st = "reviewed"
                if program_id not in rubrics or not self.reviewers(e.season_id):
                    st = "submitted"
                sub = Submission(
                    **base,
                    version=version,
                    is_current=True,
                    video_url=self.video_url(),
                    submitted_at=at,
                    is_late=late,
                    status={
                        "reviewed": Submission.Status.REVIEWED,
                        "in_review": Submission.Status.IN_REVIEW,
                        "submitted": Submission.Status.SUBMITTED,
                    }[st],
                )
                subs.append(sub)
                if st == "reviewed":
                    rstatus = Review.Status.RELEASED if is_demo or rng.random() < 0.88 else Review.Status.SUBMITTED
                    reviews_plan.append((sub, rstatus, spec, at, False))
                elif st == "in_review":
                    reviews_plan.append((sub, Review.Status.IN_PROGRESS, spec, at, False))
        self.bulk(Submission, subs, "Видеоуроки")
        reviews, score_plans = [], []
        for sub, rstatus, spec, at, returned in reviews_plan:
            program_id = season_program[sub.enrollment.season_id]
            rubric, criteria = rubrics[program_id]
            expert = self.pick_reviewer(sub.enrollment.season_id, sub.subject_id, spec)
            started = min(at + timedelta(days=rng.randint(1, 5)), self.now - timedelta(hours=2))
            review = Review(submission=sub, expert=expert, rubric=rubric, status=rstatus, started_at=started)
            points = []
            if rstatus != Review.Status.IN_PROGRESS:
                high = rng.random()
                for c in criteria:
                    lo = 0 if returned else (1 if c.max_points > 1 else 0)
                    p = min(
                        c.max_points, max(lo, round(rng.triangular(lo, c.max_points, c.max_points * (0.5 + high / 2))))
                    )
                    points.append((c, p))
                review.total_score = sum((Decimal(p) * c.weight for c, p in points), Decimal(0)).quantize(
                    Decimal("0.01")
                )
                review.submitted_at = min(started + timedelta(hours=rng.randint(2, 96)), self.now - timedelta(hours=1))
                review.strengths = rng.choice(STRENGTHS)
                review.recommendations = RETURN_RECOMMENDATION if returned else rng.choice(RECOMMENDATIONS)
                if rstatus in (Review.Status.RELEASED, Review.Status.RETURNED):
                    review.released_at = min(review.submitted_at + timedelta(hours=rng.randint(1, 48)), self.now)
                if returned:
                    review.return_reason = RETURN_RECOMMENDATION
            reviews.append(review)
            score_plans.append(points)
        second, second_plans = self.second_reviews(reviews_plan, reviews, score_plans)
        reviews += second
        score_plans += second_plans
        with _keep_timestamps(_field(Review, "started_at")):
            reviews = self.bulk(Review, reviews, "Рецензии")
        scores = [
            ReviewScore(
                review=r, criterion=c, points=p, comment="" if not c.comment_required else rng.choice(RECOMMENDATIONS)
            )
            for r, points in zip(reviews, score_plans, strict=True)
            for c, p in points
        ]
        self.bulk(ReviewScore, scores, "Оценки по критериям")
        by_status = defaultdict(int)
        for r in reviews:
            by_status[r.status] += 1
        for status in Review.Status:
            self.counts[f"  — рецензии: {status.label}"] = by_status[status.value]
        self.counts["  — видеоуроки со второй рецензией"] = len(second)

    def second_reviews(self, plan, reviews, score_plans):
        """The season's defaults send a lesson to the subject methodist and to the group's curator: about a
        third of the released lessons (and the demo teacher's first) get the curator's review too — half of
        them with the very same marks — so the rating shows each lesson counted once (seed 000 §5.8).
        A random generator of its own keeps the rest of the data set as it was."""
        rng = Random(f"{self.seed}-second-review")
        demo_spec = self.demo["teacher@demo.ru"]
        demo_done = False
        added, added_plans = [], []
        for (sub, rstatus, spec, _at, returned), first, points in zip(plan, reviews, score_plans, strict=True):
            if rstatus != Review.Status.RELEASED or returned:
                continue
            is_demo = spec is demo_spec and not demo_done
            if not is_demo and rng.random() > 0.35:
                continue
            curators = [
                c
                for c in self.season_experts[sub.enrollment.season_id].get(ExpertRole.CURATOR, [])
                if c != first.expert
            ]
            if not curators:
                continue
            demo_done = demo_done or is_demo
            same = is_demo or rng.random() < 0.5
            marks = [(c, p if same else max(0, min(c.max_points, p + rng.choice((-1, 0, 1))))) for c, p in points]
            review = Review(
                submission=sub,
                expert=rng.choice(curators),
                rubric=first.rubric,
                status=Review.Status.RELEASED,
                started_at=first.started_at,
                submitted_at=first.submitted_at,
                released_at=first.released_at,
                total_score=sum((Decimal(p) * c.weight for c, p in marks), Decimal(0)).quantize(Decimal("0.01")),
                strengths=rng.choice(STRENGTHS),
                recommendations=rng.choice(RECOMMENDATIONS),
            )
            added.append(review)
            added_plans.append(marks)
        return added, added_plans

    # --- quarterly feedback --------------------------------------------------------------------------
    def create_feedback(self) -> None:
        """Answers for the quarters each participant was active in; the demo teacher's current one is left open."""
        rng = self.rng
        seasons = [s for ss in self.program_seasons.values() for s in ss]
        questions = defaultdict(list)
        for q in FeedbackQuestion.objects.filter(season__in=seasons, is_active=True).order_by("order", "pk"):
            questions[q.season_id].append(q)
        demo_person = self.demo["teacher@demo.ru"].person
        responses, plans = [], []
        for e, active_from, active_until, _status, _why, _spec in self.windows:
            season_questions = questions.get(e.season_id)
            if active_from is None or not season_questions:
                continue
            season = e.season
            end = min(active_until or self.now, self.at(season.ends_on, 18, tz=season.tz), self.now)
            # A participant's own tiredness level, drifting up a little through the year.
            base = rng.choice((2, 2, 3, 3, 3, 4))
            year, quarter = self.quarter_of(active_from, season)
            step = 0
            while True:
                q_start, q_end = self.quarter_bounds(year, quarter, season)
                if q_start >= end:
                    break
                start = max(q_start, active_from)
                stop = min(q_end, end)
                current = q_start <= self.now < q_end
                skip = rng.random() > (0.45 if current else 0.8)
                if e.person_id == demo_person.pk and current:
                    skip = True
                if stop > start and not skip:
                    responses.append(
                        FeedbackResponse(
                            enrollment=e, year=year, quarter=quarter, submitted_at=self.between(start, stop)
                        )
                    )
                    plans.append((season_questions, min(5, max(1, base + (step // 2) + rng.choice((-1, 0, 0, 1))))))
                step += 1
                year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        responses = self.bulk(FeedbackResponse, responses, "Ответы на обратную связь")
        answers = []
        for response, (season_questions, pulse) in zip(responses, plans, strict=True):
            for q in season_questions:
                if q.kind == FeedbackQuestion.Kind.SCALE:
                    value = pulse if q.is_pulse else rng.choice((3, 4, 4, 5, 5))
                    answers.append(FeedbackAnswer(response=response, question=q, scale_value=value))
                elif q.kind == FeedbackQuestion.Kind.CHOICE and q.choices:
                    answers.append(FeedbackAnswer(response=response, question=q, text_value=rng.choice(q.choices)))
                elif q.is_required or rng.random() < 0.5:
                    answers.append(FeedbackAnswer(response=response, question=q, text_value=rng.choice(FEEDBACK_TEXTS)))
        self.bulk(FeedbackAnswer, answers, "Ответы на вопросы")

    @staticmethod
    def quarter_of(moment: datetime, season: Season) -> tuple[int, int]:
        local = timezone.localtime(moment, season.tz)
        return local.year, (local.month - 1) // 3 + 1

    @staticmethod
    def quarter_bounds(year: int, quarter: int, season: Season) -> tuple[datetime, datetime]:
        start = datetime(year, 3 * quarter - 2, 1, tzinfo=season.tz)
        end = (
            datetime(year + 1, 1, 1, tzinfo=season.tz)
            if quarter == 4
            else datetime(year, 3 * quarter + 1, 1, tzinfo=season.tz)
        )
        return start, end

    # --- Methodical Subscription ---------------------------------------------------------------------
    def create_subscription(self) -> None:
        """Schools' applications, the bank of teachers' requests with tutors, and the routes built from them."""
        rng = self.rng
        programs = [p for p in self.program_seasons if p.kind == Program.Kind.SUBSCRIPTION]
        windows = {e.pk: (e, active_from, status, spec) for e, active_from, _u, status, _w, spec in self.windows}
        applications, requests, routes = [], [], []
        # A school applies through its administration (the director or a deputy).
        managers = {}
        for spec in self.specs:
            if spec.person.is_manager and spec.person.organisation_id:
                managers.setdefault(spec.person.organisation_id, spec)
        for program in programs:
            coordinator = self.coordinators[program.pk].person.user
            for season in self.program_seasons[program]:
                members = [w for w in windows.values() if w[0].season_id == season.pk]
                # The schools whose teachers take part applied first (seed 004 §III.1: low results, ВПР, own request).
                schools = {}
                for _e, _a, _s, spec in members:
                    org = spec.person.organisation
                    if org is not None and org.kind == Organisation.Kind.SCHOOL and org.pk in managers:
                        schools.setdefault(org.pk, (org, managers[org.pk]))
                for org, spec in list(schools.values())[:12]:
                    grounds = [SchoolApplication.Ground.OWN_REQUEST]
                    if org.low_results:
                        grounds.append(SchoolApplication.Ground.VPR)
                    if rng.random() < 0.5:
                        grounds.append(SchoolApplication.Ground.DIAGNOSTICS)
                    submitted = self.between(
                        season.registration_opens_at - timedelta(days=20), season.registration_opens_at
                    )
                    applications.append(
                        SchoolApplication(
                            season=season,
                            organisation=org,
                            applicant=spec.person,
                            grounds=[str(g) for g in grounds],
                            details=rng.choice(SCHOOL_APPLICATION_DETAILS),
                            teachers_planned=rng.randint(3, 15),
                            status=SchoolApplication.Status.APPROVED,
                            submitted_at=submitted,
                            decided_at=submitted + timedelta(days=rng.randint(1, 7)),
                            decided_by=coordinator,
                            decision_reason="",
                        )
                    )
                tutors = self.season_experts[season.pk].get(ExpertRole.TUTOR, [])
                activities = defaultdict(list)
                for activity in Activity.objects.filter(season=season).prefetch_related("sessions"):
                    activities[activity.kind].append(activity)
                phase = self.phase(season)
                for e, active_from, status, spec in members:
                    if active_from is None or rng.random() > 0.75:
                        continue
                    form = rng.choice(SubscriptionForm.values)
                    request_status = (
                        IndividualRequest.Status.DONE
                        if phase == "past" or status == S.COMPLETED
                        else rng.choice(
                            (
                                IndividualRequest.Status.NEW,
                                IndividualRequest.Status.ASSIGNED,
                                IndividualRequest.Status.IN_WORK,
                            )
                        )
                    )
                    deficit, topic = rng.choice(SUBSCRIPTION_DEFICITS)
                    tutor = rng.choice(tutors) if tutors and request_status != IndividualRequest.Status.NEW else None
                    if tutor is None and request_status != IndividualRequest.Status.NEW:
                        request_status = IndividualRequest.Status.NEW
                    subject = self.subjects.get(spec.subjects[0]) if spec.subjects else None
                    requests.append(
                        IndividualRequest(
                            enrollment=e,
                            deficit=deficit,
                            subject=subject,
                            topic=topic,
                            preferred_form=form,
                            status=request_status,
                            tutor=tutor,
                        )
                    )
                    if request_status == IndividualRequest.Status.NEW:
                        continue
                    # The tutor's route: the chosen form first, then two more of the seven forms.
                    forms = [form] + rng.sample([f for f in SubscriptionForm.values if f != form], 2)
                    for order, kind in enumerate(forms, start=1):
                        candidates = activities.get(kind, [])
                        activity = rng.choice(candidates) if candidates else None
                        sessions = list(activity.sessions.all()) if activity else []
                        session = rng.choice(sessions) if sessions else None
                        planned = timezone.localtime(session.starts_at, season.tz).date() if session else None
                        if planned is None:
                            planned = season.starts_on + timedelta(days=30 * order)
                        item_status = RouteItem.Status.PLANNED
                        if session is None and planned < self.today:
                            item_status = RouteItem.Status.DONE if rng.random() < 0.8 else RouteItem.Status.MISSED
                        routes.append(
                            RouteItem(
                                enrollment=e,
                                order=order,
                                module=activity.module if activity else None,
                                activity=activity,
                                session=session,
                                form=kind,
                                title="" if activity else SubscriptionForm(kind).label,
                                planned_on=planned,
                                status=item_status,
                            )
                        )
        self.bulk(SchoolApplication, applications, "Заявки школ на абонемент")
        self.bulk(IndividualRequest, requests, "Индивидуальные запросы")
        self.bulk(RouteItem, routes, "Шаги индивидуальных маршрутов")

    # --- the expert team's work ----------------------------------------------------------------------
    def create_expert_work(self) -> None:
        """Groups with curators and entry results, lesson visits each quarter, consultations (the psychologist's
        confidential), mentoring pairs, review queues and achievements — what issue 4's pages show."""
        rng = self.rng
        members_by_season = defaultdict(list)
        for e, active_from, active_until, _status, _why, spec in self.windows:
            if active_from is not None:
                members_by_season[e.season_id].append((e, active_from, active_until, spec))
        groups, members, tests, interviews, visits, consultations, pairs, achievements = ([] for _ in range(8))
        consultation_people = []
        for seasons in self.program_seasons.values():
            for season in seasons:
                people = members_by_season.get(season.pk, [])
                if not people:
                    continue
                experts = self.season_experts[season.pk]
                curators = experts.get(ExpertRole.CURATOR, [])
                methodists = experts.get(ExpertRole.METHODIST, [])
                # Groups of about twenty by the learning format chosen, each with a curator in turn.
                by_format = defaultdict(list)
                for item in people:
                    by_format[item[0].preferred_format].append(item)
                season_groups = []
                for fmt, items in sorted(by_format.items()):
                    for start in range(0, len(items), 20):
                        number = len(season_groups) + 1
                        group = ExpertGroup(
                            season=season,
                            name=f"Группа {number}" + (f" ({fmt})" if fmt else ""),
                            curator=curators[(number - 1) % len(curators)] if curators else None,
                            learning_format=fmt,
                        )
                        season_groups.append((group, items[start : start + 20]))
                groups.extend(g for g, _ in season_groups)
                for group, items in season_groups:
                    for e, active_from, active_until, spec in items:
                        members.append(GroupMember(group=group, enrollment=e))
                        taken = timezone.localtime(active_from, season.tz).date() + timedelta(days=rng.randint(1, 14))
                        if taken <= self.today and rng.random() < 0.85:
                            tests.append(
                                CompetenceTest(
                                    enrollment=e,
                                    platform=rng.choice(COMPETENCE_PLATFORMS),
                                    taken_on=taken,
                                    level=rng.choice(("базовый", "продвинутый", "экспертный")),
                                    score=Decimal(rng.randint(35, 98)),
                                )
                            )
                        if taken <= self.today and rng.random() < 0.7:
                            interviews.append(
                                EntryInterview(
                                    enrollment=e,
                                    interviewer=group.curator,
                                    held_on=taken,
                                    notes=rng.choice(INTERVIEW_NOTES),
                                )
                            )
                        visits.extend(self.plan_visits(season, e, active_from, active_until, spec, group, methodists))
                # The psychologist's individual consultations (confidential) and the curators' group ones.
                for psychologist in experts.get(ExpertRole.PSYCHOLOGIST, []):
                    for e, active_from, active_until, _spec in rng.sample(people, min(len(people), 6)):
                        end = min(active_until or self.now, self.now)
                        if end <= active_from:
                            continue
                        consultations.append(
                            Consultation(
                                season=season,
                                expert=psychologist,
                                kind=Consultation.Kind.INDIVIDUAL,
                                held_at=self.between(active_from, end),
                                topic="Индивидуальная консультация",
                                content=rng.choice(PSYCHOLOGIST_NOTES),
                                is_confidential=True,
                            )
                        )
                        consultation_people.append([e])
                for group, items in season_groups:
                    if group.curator is None or not items:
                        continue
                    start = min(item[1] for item in items)
                    if start >= self.now:
                        continue
                    consultations.append(
                        Consultation(
                            season=season,
                            expert=group.curator,
                            kind=Consultation.Kind.GROUP,
                            held_at=self.between(start, self.now),
                            topic=rng.choice(GROUP_CONSULTATION_TOPICS),
                            content="Разобрали вопросы группы, договорились о сроках следующего этапа.",
                        )
                    )
                    consultation_people.append([item[0] for item in items])
                # Mentors (Pedkluster 27) take two or three mentees each.
                pool = list(people)
                rng.shuffle(pool)
                for mentor in experts.get(ExpertRole.MENTOR, []):
                    for e, active_from, _u, _spec in [pool.pop() for _ in range(min(len(pool), rng.randint(2, 3)))]:
                        pairs.append(
                            MentoringPair(
                                season=season,
                                mentor=mentor,
                                mentee=e,
                                goals=rng.choice(MENTORING_GOALS),
                                started_on=timezone.localtime(active_from, season.tz).date(),
                            )
                        )
                # Achievements outside the program, most confirmed by the expert group.
                deciders = curators + methodists
                for e, active_from, active_until, _spec in people:
                    if rng.random() > 0.3:
                        continue
                    end = min(active_until or self.now, self.now)
                    if end <= active_from:
                        continue
                    happened = self.between(active_from, end)
                    title, kind = rng.choice(ACHIEVEMENTS)
                    level = rng.choices(Achievement.Level.values, weights=(55, 30, 12, 3))[0]
                    status = rng.choices(Achievement.Status.values, weights=(20, 70, 10))[0]
                    decided = status != Achievement.Status.PENDING and deciders
                    achievements.append(
                        Achievement(
                            enrollment=e,
                            title=title,
                            kind=kind,
                            level=level,
                            result=rng.choice(("победитель", "призёр", "участник", "")),
                            happened_on=timezone.localtime(happened, season.tz).date(),
                            proof_url=f"https://disk.yandex.ru/i/{rng.getrandbits(64):016x}",
                            status=status if decided else Achievement.Status.PENDING,
                            decided_by=rng.choice(deciders) if decided else None,
                            decided_at=min(happened + timedelta(days=rng.randint(1, 10)), self.now)
                            if decided
                            else None,
                            comment=(
                                "Подтверждающий документ не соответствует заявленному уровню."
                                if decided and status == Achievement.Status.REJECTED
                                else ""
                            ),
                        )
                    )
        self.bulk(ExpertGroup, groups, "Группы")
        self.bulk(GroupMember, members, "Участники групп")
        self.bulk(CompetenceTest, tests, "Тесты цифрового профиля")
        self.bulk(EntryInterview, interviews, "Входные собеседования")
        self.bulk(LessonVisit, visits, "Посещения уроков")
        consultations = self.bulk(Consultation, consultations, "Консультации")
        through = Consultation.participants.through
        self.bulk(
            through,
            [
                through(consultation_id=c.pk, enrollment_id=e.pk)
                for c, people in zip(consultations, consultation_people, strict=True)
                for e in people
            ],
        )
        self.bulk(MentoringPair, pairs, "Наставнические пары")
        self.bulk(Achievement, achievements, "Достижения")
        # Each reviewed or waiting lesson sits in its reviewer's queue; reviews carry their due date.
        assignments, reviews_due = {}, []
        for review in Review.objects.filter(submission__enrollment__season__in=list(members_by_season)).select_related(
            "submission__enrollment__season"
        ):
            assignments[(review.submission_id, review.expert_id)] = ReviewAssignment(
                submission_id=review.submission_id,
                expert_id=review.expert_id,
                assigned_at=review.submission.submitted_at,
            )
            review.due_at = review.submission.submitted_at + timedelta(
                days=review.submission.enrollment.season.review_due_days
            )
            reviews_due.append(review)
        self.bulk(ReviewAssignment, list(assignments.values()), "Назначения на проверку")
        Review.objects.bulk_update(reviews_due, ["due_at"], batch_size=BATCH)

    def plan_visits(self, season, e, active_from, active_until, spec, group, methodists) -> list[LessonVisit]:
        """A visit in most quarters the participant was active, by the group's curator or a subject methodist."""
        rng = self.rng
        visits = []
        end = min(active_until or self.now, self.now)
        year, quarter = self.quarter_of(active_from, season)
        while True:
            q_start, q_end = self.quarter_bounds(year, quarter, season)
            if q_start >= end:
                break
            start, stop = max(q_start, active_from), min(q_end, end)
            subject_methodists = [
                m for m in methodists if spec.subjects and m.subject and m.subject.name in spec.subjects
            ]
            visitor = (
                group.curator
                if rng.random() < 0.6
                else (rng.choice(subject_methodists) if subject_methodists else None)
            )
            if stop > start and visitor is not None and rng.random() < 0.75:
                visits.append(
                    LessonVisit(
                        enrollment=e,
                        expert=visitor,
                        visited_on=timezone.localtime(self.between(start, stop), season.tz).date(),
                        mode=rng.choice(VisitMode.values),
                        lesson=rng.choice(VISIT_LESSONS),
                        grade=f"{rng.randint(5, 11)}{rng.choice('АБВ')}",
                        subject=self.subjects.get(spec.subjects[0]) if spec.subjects else None,
                        notes="Урок выстроен логично; на этапе рефлексии не хватило времени.",
                        recommendations=rng.choice(RECOMMENDATIONS),
                    )
                )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return visits

    def compute_ratings(self) -> None:
        for seasons in self.program_seasons.values():
            for season in seasons:
                self.counts["Строки рейтинга"] = self.counts.get("Строки рейтинга", 0) + rating_recompute(season=season)

    # --- the facts the KPIs count -----------------------------------------------------------------
    def create_kpi_facts(self) -> None:
        """ДПО records, diagnostics, management teams, schools' yearly facts and municipal events, 2023 to now.

        The rates grow year by year so that, against the program targets (seed 002, 003), some KPIs meet
        their target and some miss it: teachers trained by Federal-Registry programs chosen by diagnostics
        reach about 6, 12, 19, 25% cumulatively (targets 5, 10, 20, 30%); remote courses are about a third
        of all ДПО (target 20%); schools running the mentoring model reach about 12, 22, 29, 37% (targets
        10, 20, 30, 40%); management teams that took part in a programme as a team reach about 12, 22, 30, 38%
        (seed 002, п. 6.2, показатель 2: targets 10, 20, 30, 40%).
        """
        years = list(range(FACT_YEARS_FROM, self.today.year + 1))
        self.create_professional_development(years)
        self.create_management_teams()
        self.create_management_programmes(years)
        self.create_school_facts(years)
        self.create_municipal_events(years)
        self.create_staff_rosters(years)

    def create_staff_rosters(self, years: list[int]) -> None:
        """The staff roster of every school and kindergarten «на 31 декабря» of each year shown (the order KPIs'
        denominators), and only the numbers (StaffHeadcount, as in form ОО-1) for additional-education
        organisations. Year to year: a worker joins in the year their experience began, about one in twenty
        leaves in a year, the experience grows, and some staff (mostly young teachers) never registered on the
        portal, so the roster is not the portal's people. Its own random stream: the rest of the demo is unchanged."""
        rng = Random(f"{self.seed}-staff-roster")
        first, last = years[0], years[-1]
        workers: list[dict] = []
        for spec in self.specs:
            p = spec.person
            experience = p.experience_years if p.experience_years is not None else rng.randint(5, 20)
            left = rng.choice(years[:-1]) if len(years) > 1 and rng.random() < 0.05 else None
            workers.append({"person": p, "org": p.organisation, "experience": experience, "left": left})
        # Not on the portal: a tenth more staff, mostly young teachers who joined in these years.
        catalogue = {
            kind: [pos for pos in POSITIONS[kind] if not pos[0].startswith("Заместитель")] for kind in POSITIONS
        }
        for org in self.organisations:
            if org.kind not in catalogue or not catalogue[org.kind]:
                continue
            low, high = STAFF[self.scale][org.kind]
            for _ in range(max(1, (low + high) // 20)):
                female = rng.random() < 0.8
                last_name, first_name, middle_name = self.names.pick(rng, female)
                age = rng.randint(22, 60)
                person = Person(
                    last_name=last_name,
                    first_name=first_name,
                    middle_name=middle_name,
                    birth_date=date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                    organisation=org,
                    position=rng.choice(catalogue[org.kind])[0],
                    education_level=rng.choices(
                        [EducationLevel.HIGHER, EducationLevel.SECONDARY_VOCATIONAL], weights=[75, 25]
                    )[0],
                )
                experience = rng.randint(0, 3) if rng.random() < 0.6 else rng.randint(0, age - 21)
                workers.append(
                    {"person": person, "org": org, "experience": experience, "left": None, "unmatched": True}
                )
        fields = ("pedagogical_total", "teachers", "higher_education", "teachers_under_5_years", "management_total")
        entries, numbers = [], defaultdict(lambda: dict.fromkeys(fields, 0))
        for w in workers:
            p, org = w["person"], w["org"]
            if org is None or org.kind not in (
                Organisation.Kind.SCHOOL,
                Organisation.Kind.KINDERGARTEN,
                Organisation.Kind.ADDITIONAL,
            ):
                continue
            began = self.today.year - w["experience"]
            kind = StaffRosterEntry.StaffKind.MANAGEMENT if p.is_manager else StaffRosterEntry.StaffKind.PEDAGOGICAL
            hired_on = date(max(began, first - 30), 9, 1)
            for year in years:
                experience = w["experience"] - (last - year)
                if experience < 0 or (w["left"] is not None and year > w["left"]):
                    continue  # not yet hired, or left in an earlier year
                if org.kind == Organisation.Kind.ADDITIONAL:
                    if w["left"] == year:
                        continue  # gone by 31 December: not in the year's numbers
                    counts = numbers[(org.pk, year)]
                    if kind == StaffRosterEntry.StaffKind.PEDAGOGICAL:
                        counts["pedagogical_total"] += 1
                        counts["higher_education"] += p.education_level == EducationLevel.HIGHER
                        if roster_is_teacher(staff_kind=kind, position=p.position):
                            counts["teachers"] += 1
                            counts["teachers_under_5_years"] += experience < 5
                    else:
                        counts["management_total"] += 1
                    continue
                entries.append(
                    StaffRosterEntry(
                        organisation=org,
                        year=year,
                        last_name=p.last_name,
                        first_name=p.first_name,
                        middle_name=p.middle_name,
                        birth_date=p.birth_date,
                        position=p.position,
                        staff_kind=kind,
                        is_teacher=roster_is_teacher(staff_kind=kind, position=p.position),
                        education_level=p.education_level,
                        experience_years=experience,
                        category=p.category,
                        hired_on=hired_on,
                        left_on=max(date(year, 6, 30), hired_on + timedelta(days=60)) if w["left"] == year else None,
                        person=None if w.get("unmatched") else p,
                    )
                )
        self.bulk(StaffRosterEntry, entries, "Кадровый состав")
        self.bulk(
            StaffHeadcount,
            [StaffHeadcount(organisation_id=org_id, year=year, **counts) for (org_id, year), counts in numbers.items()],
            "Численность персонала",
        )

    def _day_in(self, year: int) -> date:
        last = min(date(year, 12, 31), self.today)
        first = date(year, 1, 10)
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def create_professional_development(self, years: list[int]) -> None:
        rng = self.rng
        # (chance of a course that year, Federal Registry for a provider outside it, chosen by diagnostics,
        # remote) by year; the Academy's courses are all in the Registry, so about 42–50% of courses are.
        rates = {2023: (0.30, 0.19, 0.48, 0.30), 2024: (0.30, 0.23, 0.50, 0.33), 2025: (0.31, 0.30, 0.50, 0.36)}
        records, diagnostics = [], []
        diagnosed: dict[int, set] = defaultdict(set)  # person -> dates taken (one result a day per platform)
        number = 0
        for spec in self.specs:
            person = spec.person
            for year in years:
                chance, registry, by_diagnostics, remote = rates.get(year, (0.30, 0.30, 0.50, 0.38))
                if rng.random() >= chance:
                    continue
                title, provider_index, hours, continuous = rng.choice(PD_COURSES)
                provider, code = PD_PROVIDERS[provider_index]
                hours += rng.choice(PD_HOURS_EXTRA)
                ends_on = self._day_in(year)
                starts_on = ends_on - timedelta(days=max(1, hours // 8) + rng.randint(0, 20 if continuous else 6))
                in_registry = provider_index == 0 or rng.random() < registry
                based = rng.random() < by_diagnostics
                if based:
                    taken_on = starts_on - timedelta(days=rng.randint(20, 150))
                    if taken_on not in diagnosed[person.pk]:
                        diagnosed[person.pk].add(taken_on)
                        diagnostics.append(self._diagnostic(person, taken_on))
                number += 1
                records.append(
                    ProfessionalDevelopment(
                        person=person,
                        course_title=title,
                        provider=provider,
                        hours=hours,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        in_federal_registry=in_registry,
                        is_remote=rng.random() < remote,
                        based_on_diagnostics=based,
                        is_continuous_format=continuous or rng.random() < 0.05,
                        document_number=f"{code}-{ends_on.year}-{number:06d}" if rng.random() < 0.9 else "",
                        created_at=self.at(ends_on + timedelta(days=rng.randint(3, 40))),
                    )
                )
            # Some took the diagnostics without a course after it (yet).
            if rng.random() < 0.15:
                taken_on = self._day_in(rng.choice(years))
                if taken_on not in diagnosed[person.pk]:
                    diagnosed[person.pk].add(taken_on)
                    diagnostics.append(self._diagnostic(person, taken_on))
        for record in records:
            record.created_at = min(record.created_at, self.now)
        self.bulk(ProfessionalDevelopment, records, "Повышение квалификации")
        self.bulk(CompetenceDiagnostic, diagnostics, "Диагностики компетенций")

    def _diagnostic(self, person: Person, taken_on: date) -> CompetenceDiagnostic:
        rng = self.rng
        return CompetenceDiagnostic(
            person=person,
            taken_on=taken_on,
            platform=rng.choice(COMPETENCE_PLATFORMS),
            deficit_areas=rng.sample(DEFICIT_AREAS, rng.randint(1, 3)),
            score=Decimal(rng.randint(350, 920)) / 10,
            created_at=self.at(taken_on),
        )

    def create_management_teams(self) -> None:
        """The director and one to three deputies of every school; now and then a deputy who has left."""
        rng = self.rng
        by_org: dict[int, list[Spec]] = defaultdict(list)
        for spec in self.specs:
            by_org[spec.person.organisation_id].append(spec)
        members = []
        for org in self.organisations:
            if org.kind != Organisation.Kind.SCHOOL or not by_org[org.pk]:
                continue
            staff = by_org[org.pk]
            head = staff[0]  # generate_teachers puts the head first
            since = date(self.today.year - rng.randint(1, 12), 9, 1)
            members.append(
                ManagementTeamMember(organisation=org, person=head.person, role=HEAD_POSITION[org.kind], since=since)
            )
            deputies = [s for s in staff[1:] if s.person.position.startswith("Заместитель")]
            others = [s for s in staff[1:] if not s.person.position.startswith("Заместитель")]
            want = rng.randint(1, 3)
            chosen = deputies[:want] + rng.sample(others, min(len(others), max(0, want - len(deputies))))
            roles = rng.sample(DEPUTY_ROLES, len(DEPUTY_ROLES))
            for spec, role in zip(chosen, roles, strict=False):
                since = date(self.today.year - rng.randint(0, 8), 9, 1)
                members.append(ManagementTeamMember(organisation=org, person=spec.person, role=role, since=since))
            left = [s for s in others if s not in chosen]
            if left and rng.random() < 0.15:
                until = date(self.today.year - 1, 8, 31)
                members.append(
                    ManagementTeamMember(
                        organisation=org,
                        person=rng.choice(left).person,
                        role=DEPUTY_ROLES[0],
                        since=date(until.year - rng.randint(2, 6), 9, 1),
                        until=until,
                    )
                )
        self.bulk(ManagementTeamMember, members, "Члены управленческих команд")

    def create_management_programmes(self, years: list[int]) -> None:
        """Seed 002, п. 6.2, показатель 2: a school's management team takes part in a programme as a team — two
        of its members who were in the team then (or the whole team of one), once, in its adoption year."""
        rng = self.rng
        adoption = [(2023, 0.12), (2024, 0.11), (2025, 0.09), (2026, 0.09)]  # the rest have not taken part (yet)
        teams: dict[int, list[ManagementTeamMember]] = defaultdict(list)
        for member in ManagementTeamMember.objects.filter(organisation__in=self.organisations).order_by("pk"):
            teams[member.organisation_id].append(member)
        programmes, chosen = [], []
        for org_id, team in teams.items():
            draw, total = rng.random(), 0.0
            year = None
            for y, share in adoption:
                total += share
                if draw < total:
                    year = y
                    break
            if year is None or year not in years:
                continue
            ends_on = self._day_in(year)
            present = [
                m for m in team if (m.since is None or m.since <= ends_on) and (m.until is None or m.until >= ends_on)
            ]
            if not present or (len(present) < len(team) and len(present) < TEAM_PROGRAMME_MIN_MEMBERS):
                continue
            programmes.append(
                ManagementTeamProgramme(
                    organisation_id=org_id,
                    title=rng.choice(TEAM_PROGRAMME_TITLES),
                    provider=rng.choice(["ИРО ХМАО-Югры", "Академия Минпросвещения России", "ЦНППМ"]),
                    starts_on=ends_on - timedelta(days=rng.randint(14, 60)),
                    ends_on=ends_on,
                )
            )
            chosen.append(present[:TEAM_PROGRAMME_MIN_MEMBERS])
        programmes = self.bulk(ManagementTeamProgramme, programmes, "Программы управленческих команд")
        Through = ManagementTeamProgramme.members.through
        links = [
            Through(managementteamprogramme_id=p.pk, managementteammember_id=m.pk)
            for p, members in zip(programmes, chosen, strict=True)
            for m in members
        ]
        self.bulk(Through, links)

    def create_school_facts(self, years: list[int]) -> None:
        rng = self.rng
        adoption = [(2023, 0.12), (2024, 0.10), (2025, 0.07), (2026, 0.08)]  # the rest never adopt (yet)
        facts = []
        for org in self.organisations:
            if org.kind != Organisation.Kind.SCHOOL:
                continue
            draw, adopted_in = rng.random(), None
            for year, share in adoption:
                if draw < share:
                    adopted_in = year
                    break
                draw -= share
            associations = rng.randint(2, 7)
            classes = 0
            for year in years:
                associations = max(1, associations + rng.choice([-1, 0, 0, 0, 1]))
                if rng.random() < 0.08:
                    classes = min(classes + 1, 3)
                facts.append(
                    OrganisationYearFacts(
                        organisation=org,
                        year=year,
                        methodical_associations=associations,
                        pedagogical_classes=classes,
                        runs_mentoring_model=adopted_in is not None and adopted_in <= year,
                    )
                )
        self.bulk(OrganisationYearFacts, facts, "Сведения школ за год")
        self.create_kpi_baselines(facts)

    def create_kpi_baselines(self, facts: list[OrganisationYearFacts]) -> None:
        """The base-year values the coordinator would enter for «не ниже уровня 2020 года» targets (приказ
        № 223/1, результат 12): the demo's earliest reported total of methodical associations, one less."""
        totals: dict[tuple[int, int], int] = defaultdict(int)
        municipality_of = {org.pk: org.municipality_id for org in self.organisations}
        for fact in facts:
            totals[municipality_of[fact.organisation_id], fact.year] += fact.methodical_associations
        anchored = KpiTarget.objects.filter(code="methodical-associations", baseline_year__isnull=False)
        baselines = []
        for municipality_id, base_year in (
            anchored.order_by().values_list("municipality_id", "baseline_year").distinct()
        ):
            years = sorted(year for m, year in totals if m == municipality_id)
            if not years:
                continue
            baselines.append(
                KpiBaseline(
                    municipality_id=municipality_id,
                    code="methodical-associations",
                    year=base_year,
                    value=max(0, totals[municipality_id, years[0]] - 1),
                    source=f"Демонстрационные данные: отчёт РИМЦ за {base_year} год",
                )
            )
        # A value a coordinator already entered stays as it is.
        self.bulk(KpiBaseline, baselines, "Базовые значения KPI", ignore_conflicts=True)

    def create_municipal_events(self, years: list[int]) -> None:
        rng = self.rng
        by_muni: dict[int, list[Organisation]] = defaultdict(list)
        for org in self.organisations:
            if org.kind == Organisation.Kind.SCHOOL:
                by_muni[org.municipality_id].append(org)
        categories = list(EVENT_TITLES)
        events = []
        for muni, _count in self.municipalities:
            schools = by_muni.get(muni.pk, [])
            for year in years:
                for _ in range(rng.randint(2, 4)):
                    category = rng.choices(categories, weights=[35, 20, 35, 10])[0]
                    level = rng.choices(
                        [MunicipalEvent.Level.MUNICIPAL, MunicipalEvent.Level.SCHOOL, MunicipalEvent.Level.REGIONAL],
                        weights=[75, 15, 10],
                    )[0]
                    events.append(
                        MunicipalEvent(
                            municipality=muni,
                            organisation=rng.choice(schools) if schools and rng.random() < 0.5 else None,
                            title=rng.choice(EVENT_TITLES[category]),
                            held_on=self._day_in(year),
                            category=category,
                            level=level,
                            participants_count=rng.randint(25, 400),
                        )
                    )
        self.bulk(MunicipalEvent, events, "Мероприятия муниципалитетов")

    def run_jobs(self) -> None:
        """Run the scheduled jobs once, as beat would have, logged in the job log as an operator's run.

        The letters these jobs queue are not sent: the demo people's addresses are made up.
        """
        command = JobRun.Trigger.COMMAND
        run = check_deadlines_job(now=self.now, trigger=command)
        self.counts["Несданные видеоуроки"] = run.summary.get("missed", 0)
        self.counts["Основания для исключения"] = ExclusionCase.objects.count()
        self.step("Проверка сроков и правил исключения", self.counts["Основания для исключения"])
        # The demo accounts' certificates now; everyone else's come from the hourly job once `make run` is up
        # (rendering a district's thousand PDFs here would triple the time of the first start).
        demo_people = Enrollment.objects.filter(person__user__email__endswith="@demo.ru").values_list("pk", flat=True)
        with job_run("issue_certificates", trigger=command) as run:
            result = certificates_issue(now=self.now, enrollment_ids=list(demo_people))
            run.count("issued", result["issued"])
            run.say(f"Выданы сертификаты демо-участников: {result['issued']}; остальные выдаст ежечасная задача.")
        self.counts["Сертификаты"] = result["issued"]
        self.step("Сертификаты демо-участников (PDF)", result["issued"])
        with job_run("kpi_snapshot", trigger=command) as run:
            self.counts["Срезы показателей"] = kpi_snapshot_take(now=self.now)
            run.count("snapshots", self.counts["Срезы показателей"])
        self.counts["Срезы за полугодие"] = self.create_half_year_monitoring()
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).update(email_status="")
        self.step("Срез показателей KPI", self.counts["Срезы показателей"])

    def create_half_year_monitoring(self) -> int:
        """The two latest ended half-years of every municipality with a program, frozen as the beat job freezes
        them (приказ № 1063-од, п. 7.3); in the demo coordinator's district the older report is approved with its
        analysis and targeted recommendations (п. 7.5) and the latest is a draft to go on with."""
        year, half, _last_day = half_year_last_ended(timezone.localdate(self.now))
        periods = [half_year_previous(year, half), (year, half)]
        written = 0
        for municipality in Municipality.objects.filter(programs__isnull=False).distinct().order_by("pk"):
            for period_year, period_half in periods:
                _snapshot, created = KpiSnapshot.objects.get_or_create(
                    kind=KpiSnapshot.Kind.PERIOD,
                    automatic=True,
                    municipality=municipality,
                    year=period_year,
                    half=period_half,
                    defaults={
                        "taken_on": timezone.localdate(self.now, ZoneInfo(municipality.time_zone)),
                        "taken_at": self.now,
                        "period": default_period_label(year=period_year, half=period_half),
                        "values": kpi_period_values(
                            municipality=municipality, year=period_year, half=period_half, now=self.now
                        ),
                    },
                )
                written += created
        coordinator = self.demo["coordinator@demo.ru"].person.user
        snapshots = list(
            KpiSnapshot.objects.filter(
                kind=KpiSnapshot.Kind.PERIOD, automatic=True, municipality_id=self.pt.municipality_id
            )
            .filter(Q(year=periods[0][0], half=periods[0][1]) | Q(year=periods[1][0], half=periods[1][1]))
            .order_by("year", "half")
        )
        if len(snapshots) != 2 or MonitoringReport.objects.filter(snapshot__in=snapshots).exists():
            return written
        older, latest = snapshots
        schools = [
            org
            for org in self.organisations
            if org.municipality_id == self.pt.municipality_id and org.kind == Organisation.Kind.SCHOOL
        ]
        low = [org for org in schools if org.low_results] or schools
        monitoring_analysis_save(
            snapshot=older,
            analysis=(
                "Доля педагогов, освоивших программы ДПО из Федерального реестра по итогам диагностики, растёт, "
                "но отстаёт от цели года; в школах с низкими результатами диагностику прошли не все педагоги. "
                "Управленческие команды участвуют в программах повышения квалификации командами."
            ),
            by=coordinator,
            now=self.now,
        )
        for org, text in zip(
            low[:2],
            [
                "Провести диагностику профессиональных дефицитов педагогов, не прошедших её в этом году, и подобрать "
                "программы ДПО из Федерального реестра.",
                "Включить молодых педагогов школы в школу «Педагогический дебют» и закрепить наставников.",
            ],
            strict=False,
        ):
            monitoring_recommendation_add(
                snapshot=older,
                organisation=org,
                addressee_group="",
                text=text,
                due_on=timezone.localdate(self.now) + timedelta(days=60),
                responsible="Заместитель директора по УВР",
                by=coordinator,
                now=self.now,
            )
        monitoring_recommendation_add(
            snapshot=older,
            organisation=None,
            addressee_group="Руководители школьных методических объединений",
            text="Обменяться практиками непрерывного повышения квалификации на августовском совещании.",
            due_on=timezone.localdate(self.now) + timedelta(days=90),
            responsible="МКУ «ЦРО Октябрьского района»",
            by=coordinator,
            now=self.now,
        )
        monitoring_report_approve(snapshot=older, by=coordinator, now=self.now)
        monitoring_analysis_save(
            snapshot=latest,
            analysis="Черновик: сравнить с предыдущим полугодием и подготовить адресные рекомендации.",
            by=coordinator,
            now=self.now,
        )
        return written

    def video_url(self) -> str:
        return f"https://rutube.ru/video/{self.rng.getrandbits(128):032x}/"

    def reviewers(self, season_id: int) -> list[ExpertAssignment]:
        experts = self.season_experts[season_id]
        return experts.get(ExpertRole.METHODIST, []) + experts.get(ExpertRole.CURATOR, [])

    def pick_reviewer(self, season_id: int, subject_id: int | None, spec: Spec) -> ExpertAssignment:
        experts = self.season_experts[season_id]
        methodists = experts.get(ExpertRole.METHODIST, [])
        matching = [m for m in methodists if subject_id and m.subject_id == subject_id]
        if matching:
            return matching[0]
        return self.rng.choice(self.reviewers(season_id))


def seed_demo(*, scale: str, seed: int = 42, log: Callable[[str], None] = print) -> dict[str, int] | None:
    """Build the demo data set once; None when it is already there."""
    if demo_data_exists():
        return None
    counts = DemoGenerator(scale=scale, seed=seed, log=log).run()
    # Written with bulk_create, which no signal reports: the KPI cache starts afresh.
    kpi_data_changed()
    return counts

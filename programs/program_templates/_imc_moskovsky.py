"""The place and the projects of seed 001: ИМЦ Московского района Санкт-Петербурга and its cascade of projects.

Shared by the cascade's program templates (loaded by `manage.py load_programs`), the `projects` app's templates
of the project office and the demo data, so that all of them speak of the same municipality, centre, schools and
programs. Names and titles quote the seed.
"""

TZ = "Europe/Moscow"

# The seed's present: its events of 30.09.2021 and 18.10.2021 and the «Демография» credit of 22.11.2021 are being
# prepared, so the academic year 2021–2022 becomes the current one (programs.academic_dates).
SEED_ACADEMIC_YEAR = 2021

MUNICIPALITY = {"name": "Московский район", "region": "Санкт-Петербург", "time_zone": TZ}

IMC = "ИМЦ Московского района"

# The district's other schools and kindergartens the seed speaks of without numbers («ОУ района», «ДОУ»); the
# numbers follow the district's «ГБОУ школа № N» / «ГБДОУ детский сад № N» pattern.
OTHER_SCHOOLS = (351, 354, 362, 373, 536, 594)
LOW_RESULTS_SCHOOLS = (362, 594)
KINDERGARTENS = (12, 31, 45, 118)

ORGANISATIONS = [
    {
        "short_name": IMC,
        "name": (
            "Государственное бюджетное учреждение дополнительного профессионального педагогического образования "
            "центр повышения квалификации специалистов «Информационно-методический центр» Московского района "
            "Санкт-Петербурга"
        ),
        "kind": "methodical_centre",
    },
    {
        "short_name": "Отдел образования",
        "name": "Отдел образования администрации Московского района Санкт-Петербурга",
        "kind": "education_authority",
    },
    # The pilot schools of the mentoring target model («Траектория развития»: школы № 358, 376, 544, 643) and the
    # school whose director reached the «Директор года России» final («Школа Лидеров образования»: ОУ № 376).
    *(
        {
            "short_name": f"ГБОУ школа № {number}",
            "name": f"Государственное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № {number} Московского района Санкт-Петербурга",
            "kind": "school",
        }
        for number in (358, 376, 544, 643)
    ),
    # More schools of the district: «Школа – Школе» pairs a school-leader with a school «демонстрирующая низкие
    # результаты обучения» (ШНОР); LOW_RESULTS_SCHOOLS are its partners (сид 001, «Школа – Школе»), marked by
    # organisations() below.
    *(
        {
            "short_name": f"ГБОУ школа № {number}",
            "name": f"Государственное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № {number} Московского района Санкт-Петербурга",
            "kind": "school",
        }
        for number in OTHER_SCHOOLS
    ),
    # The kindergartens (ДОУ/ДОО) whose teachers work in the «Лаборатория профессиональных компетенций».
    *(
        {
            "short_name": f"ГБДОУ детский сад № {number}",
            "name": f"Государственное бюджетное дошкольное образовательное учреждение детский сад № {number} Московского района Санкт-Петербурга",
            "kind": "kindergarten",
        }
        for number in KINDERGARTENS
    ),
]


def organisations(academic_year: int) -> list[dict]:
    """ORGANISATIONS, the ШНОР among them recorded as such in their «Сведения организации за год» of the academic
    year beginning in `academic_year` (the templates' current one): the mark is a yearly fact, never a flag of the
    organisation (programs.models.low_results_exists)."""
    marked = {f"ГБОУ школа № {number}" for number in LOW_RESULTS_SCHOOLS}
    return [
        {**org, "year_facts": [{"year": academic_year, "low_results": True}]} if org["short_name"] in marked else org
        for org in ORGANISATIONS
    ]


# One program per project of the cascade that runs activities for teachers (seed 001: «ветвь методических
# проектов»). The project office's registry (projects app) links each project to its program by this slug.
PROGRAMS = {
    "prokommyuniti": {"title": "ПРОкомьюнити в мире VUCA", "code": "ПРК"},
    "shkola-liderov": {"title": "Школа Лидеров образования", "code": "ШЛО"},
    "traektoriya-razvitiya": {"title": "Траектория развития", "code": "ТР"},
    "shkola-shkole": {"title": "Школа – Школе", "code": "ШШ"},
    "laboratoriya-kompetentsiy": {"title": "Лаборатория профессиональных компетенций", "code": "ЛПК"},
    "tyutor-demografiya": {"title": "Тьютор в федеральном проекте «Демография»", "code": "ТД"},
}

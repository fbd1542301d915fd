"""Municipalities, organisations and people: teachers, their schools' teams, the demo accounts."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth.models import Group

from demo.base import Spec, keep_timestamps, model_field
from demo.data import (
    ADDITIONAL_NAMES,
    DEFAULT_TEAM,
    DEMO_DOMAIN,
    DEMO_PEOPLE,
    HEAD_POSITION,
    HOME_DISTRICTS,
    KHMAO,
    KHMAO_TZ,
    KINDERGARTEN_NAMES,
    METHODIST_SUBJECTS,
    POSITIONS,
    REGION_MUNICIPALITIES,
    SCHOOL_TYPES,
    STAFF,
    SUBJECTS,
    demo_place,
)
from demo.names import translit
from experts.models import (
    ExpertRole,
)
from participants.models import (
    Person,
    User,
)
from participants.roles import COORDINATORS, MANAGEMENT
from programs.models import (
    EducationLevel,
    Municipality,
    Organisation,
    Subject,
    organisation_sort_key,
)


class PeopleMixin:
    """Municipalities, organisations and people: teachers, their schools' teams, the demo accounts."""

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
        # The demo's schools of low results, drawn here and recorded as yearly facts by create_school_facts (the
        # mark is a fact of a year, programs.models.low_results_exists).
        low_results = set()
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
                        municipality=muni, short_name=short, name=full_t.format(n=number), kind=Organisation.Kind.SCHOOL
                    )
                )
                if rng.random() < 0.12:
                    low_results.add((muni.pk, short))
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
        for organisation in new:
            organisation.sort_key = organisation_sort_key(organisation)  # bulk_create skips save()
        self.bulk(Organisation, new, "Организации")
        muni_ids = [m.pk for m, _ in self.municipalities]
        # Existing schools of these municipalities (say, from load_programs) get teachers as well, with their marks.
        organisations = list(
            Organisation.objects.with_low_results()
            .filter(
                municipality_id__in=muni_ids,
                kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.KINDERGARTEN, Organisation.Kind.ADDITIONAL],
            )
            .order_by("pk")
        )
        # The demo's current ШНОР: the ones its facts already say (a program template's) and the ones drawn now.
        self.low_result_ids = {
            o.pk for o in organisations if o.low_results or (o.municipality_id, o.short_name) in low_results
        }
        for organisation in organisations:
            organisation.low_results = organisation.pk in self.low_result_ids
        return organisations

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
            low_results=org.pk in self.low_result_ids,
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
        # Every other program municipality gets its own demo accounts: the coordinator who signs its status changes,
        # a school director, an expert with a review queue (the teacher comes with the enrollments' plan).
        self.coordinators = {}
        self.local_directors: dict[int, Spec] = {}
        heads = {}
        for spec in self.specs:
            if spec.person.is_manager and spec.kind == Organisation.Kind.SCHOOL:
                heads.setdefault(spec.person.organisation.pk, spec)
        by_municipality: dict[int, Spec] = {}
        named_experts: set[int] = set()
        for program in programs:
            if program.municipality_id == self.pt.municipality_id:
                self.coordinators[program.pk] = demo["coordinator@demo.ru"]
                continue
            place = demo_place(program.municipality.name)
            if program.municipality_id not in by_municipality:
                spec = self.make_person(
                    org=program.organiser, position="Методист, координатор программы", subjects=[], female=True
                )
                spec.person.education_level = EducationLevel.HIGHER
                spec.needs_user, spec.role = True, User.Role.COORDINATOR
                spec.user_email = spec.person.email = f"coordinator.{place}@demo.ru"
                by_municipality[program.municipality_id] = spec
                director = next(
                    (
                        heads[o.pk]
                        for o in self.organisations
                        if o.municipality_id == program.municipality_id and o.pk in heads
                    ),
                    None,
                )
                if director is not None:
                    director.person.education_level = EducationLevel.HIGHER
                    director.needs_user, director.role = True, User.Role.DIRECTOR
                    director.user_email = director.person.email = f"director.{place}@demo.ru"
                    self.local_directors[program.municipality_id] = director
            self.coordinators[program.pk] = by_municipality[program.municipality_id]
            team = self.teams[program.pk]
            reviewers = team.get(ExpertRole.METHODIST) or team.get(ExpertRole.CURATOR) or []
            # One expert account per place: a municipality with several programs (the cascade's six) names the first.
            if (
                reviewers
                and program.municipality_id not in named_experts
                and not reviewers[0][0].person.email.endswith("@demo.ru")
            ):
                named_experts.add(program.municipality_id)
                expert = reviewers[0][0]
                expert.user_email = expert.person.email = f"expert.{place}@demo.ru"
        return demo

    @staticmethod
    def _put_first(team, role, spec, subject):
        if team.get(role):
            team[role][0] = (spec, subject)
        else:
            team[role] = [(spec, subject)]

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
        with keep_timestamps(model_field(Person, "created_at")):
            self.bulk(Person, [s.person for s in all_specs], "Люди")
        through = Person.subjects.through
        links = [
            through(person_id=s.person.pk, subject_id=self.subjects[name].pk)
            for s in all_specs
            for name in s.subjects
            if name in self.subjects
        ]
        self.bulk(through, links)

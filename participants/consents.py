"""The texts a person consents to (152-FZ). A text never changes under its version: a new wording is a new version."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    title: str
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


PERSONAL_DATA_PROCESSING = ConsentText(
    kind="pd_processing",
    version="2026-11-22",
    title=_("Согласие на обработку персональных данных"),
    text=(
        "В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» я даю согласие "
        "муниципальному методическому центру, проводящему программу, на обработку моих персональных данных: "
        "фамилии, имени, отчества, даты рождения, адреса электронной почты, телефона, места работы, "
        "должности, преподаваемых предметов, уровня образования, педагогического стажа и квалификационной "
        "категории, а также сведений о моём участии в программе (посещаемость, видеоуроки и их оценки, "
        "сертификаты), — в целях организации моего участия в программе методического сопровождения и "
        "формирования отчётности. Согласие действует до его отзыва; отозвать его можно в личном кабинете "
        "или письменным обращением к координатору программы."
    ),
)

RATING_PUBLICATION = ConsentText(
    kind="rating_publication",
    version="2026-11-22",
    title=_("Согласие на публикацию фамилии и имени в рейтинге участников"),
    text=(
        "Я согласен(на), чтобы мои фамилия, имя и место работы были видны другим участникам программы "
        "в рейтинге участников. Без этого согласия в рейтинге показывается только моё место без имени."
    ),
)

CURRENT = {c.kind: c for c in (PERSONAL_DATA_PROCESSING, RATING_PUBLICATION)}

"""The settings of the low-vision version as ГОСТ Р 52872-2019 (п. 7.1.2) lists them: font size, colour scheme,
letter spacing, images on or off. Kept in a cookie and applied by CSS classes the server writes, so no
JavaScript is needed."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MODE_COOKIE = "a11y"
SETTINGS_COOKIE = "a11y_settings"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# Each setting: its choices in display order, (value, label); the first listed default is marked below.
CHOICES = {
    "font": [("1", _("Мелкий")), ("2", _("Средний")), ("3", _("Крупный"))],
    "scheme": [("bw", _("Чёрным по белому")), ("wb", _("Белым по чёрному")), ("blue", _("Тёмно-синим по голубому"))],
    "spacing": [("1", _("Обычный")), ("2", _("Увеличенный")), ("3", _("Большой"))],
    "images": [("on", _("Показывать")), ("off", _("Скрыть"))],
}
LEGENDS = {
    "font": _("Размер шрифта"),
    "scheme": _("Цвет сайта"),
    "spacing": _("Интервал между буквами"),
    "images": _("Изображения"),
}
DEFAULTS = {"font": "2", "scheme": "bw", "spacing": "1", "images": "off"}


@dataclass(frozen=True)
class A11ySettings:
    font: str
    scheme: str
    spacing: str
    images: str

    @property
    def body_classes(self) -> str:
        return f"a11y-scheme-{self.scheme} a11y-spacing-{self.spacing} a11y-images-{self.images}"

    @property
    def root_classes(self) -> str:
        return f"a11y-font-{self.font}"

    def groups(self) -> list[dict]:
        """The settings panel: one group of buttons per setting, the current choice marked."""
        return [
            {
                "name": name,
                "legend": LEGENDS[name],
                "options": [
                    {"value": value, "label": label, "current": getattr(self, name) == value}
                    for value, label in CHOICES[name]
                ],
            }
            for name in CHOICES
        ]

    def cookie_value(self) -> str:
        # «font:2&scheme:bw&…»: only characters a cookie carries unquoted, so every browser keeps it as is.
        return "&".join(f"{name}:{getattr(self, name)}" for name in CHOICES)


def _valid(name: str, value: str | None) -> bool:
    return value in {choice for choice, _label in CHOICES[name]}


def settings_from_cookie(raw: str | None) -> A11ySettings:
    """Unknown or tampered values fall back to the defaults one by one."""
    data = dict(part.partition(":")[::2] for part in (raw or "").split("&"))
    return A11ySettings(
        **{name: data.get(name) if _valid(name, data.get(name)) else DEFAULTS[name] for name in CHOICES}
    )


def settings_changed(current: A11ySettings, posted) -> A11ySettings:
    """The posted choices (any subset) over the current ones; an invalid one is ignored."""
    return A11ySettings(
        **{name: posted.get(name) if _valid(name, posted.get(name)) else getattr(current, name) for name in CHOICES}
    )

"""Russian formats that differ from Django's (FORMAT_MODULE_PATH; Django's own fill in the rest).

A day with its month is written with the month in the genitive, «6 декабря»: Django's «j F» gives «6 Декабрь»
in the admin's date drill-down (date_hierarchy)."""

MONTH_DAY_FORMAT = "j E"

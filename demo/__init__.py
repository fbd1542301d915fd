"""Synthetic demo data over the loaded programs (`manage.py seed_demo --scale district|region [--seed N]`).

Everything is built in memory from one seeded random generator and written with bulk_create, so a region
(~20,000 teachers, ~600 organisations) loads in minutes and the same seed always gives the same data.

This app sits above every other one: it may import all of them, and none imports it. Its modules:
- generator.py — DemoGenerator (the parts below put together, run in order in one transaction) and seed_demo();
- people.py — municipalities, organisations, teachers, school teams and the demo accounts;
- seasons.py — programs' seasons and the enrollments with their status histories;
- attendance.py — sessions, video assignments, attendance and exclusion cases;
- reviews.py — video lessons, reviews, scores and the participant rating;
- feedback.py — quarterly feedback and the methodological subscription;
- experts.py — expert assignments, groups, lesson visits, consultations, mentoring, achievements;
- kpi.py — the facts the KPIs count (rosters, professional development, management teams, school facts, events);
- monitoring.py — the scheduled jobs over the fresh data and the half-year monitoring reports;
- data.py, names.py, base.py — word lists and sizes, Russian names, shared helpers.
"""

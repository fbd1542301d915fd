"""Who works with a mentoring pair and with an individual request (django-rules predicates).

experts/rules.py belongs to the review and consultation work; the mentor's and the tutor's checks live here.
"""

import rules


@rules.predicate
def is_pair_mentor(user, pair) -> bool:
    """The mentor of the pair, while still working in the season's team."""
    if pair is None or not user.is_authenticated:
        return False
    mentor = pair.mentor
    return mentor.is_active and mentor.person.user_id == user.pk


@rules.predicate
def is_request_tutor(user, individual_request) -> bool:
    """The tutor assigned to the request, while still working in the season's team."""
    if individual_request is None or not user.is_authenticated or individual_request.tutor_id is None:
        return False
    tutor = individual_request.tutor
    return tutor.is_active and tutor.person.user_id == user.pk


rules.add_perm("experts.work_with_mentoring_pair", is_pair_mentor)
rules.add_perm("experts.work_with_individual_request", is_request_tutor)

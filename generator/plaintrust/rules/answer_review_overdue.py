"""An answer has not been reviewed for longer than the site's `answer_review` period.

Each answer records in `reviewed_on` the day someone last checked it is still true. It fires at
`reviewed_on` from the day that period has passed: `reviewed_on` plus the `answer_review` option of
the plaintrust plugin in mkdocs.yml (`annual` by default; a frequency word such as `quarterly`, or a
duration such as `6m` or `180d`). There are no days of grace: the period is your own choice.

Questionnaire answers go stale quietly: a tool is replaced, a practice changes, and the old answer
is still sent. The FAQ shows a public answer overdue for review as "Review overdue since" the day
it fell due, and `plaintrust answers fill` lists such answers under "check these before sending".

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, read the answer again, correct it if needed, then set `reviewed_on` to today.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import answers
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "answer-review-overdue"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for answer in model.answers:
        if answers.review_overdue(answer, model):
            yield answer.source.at("reviewed_on").warning(
                ID,
                f"answer {answer.id} was last reviewed on {answer.reviewed_on}: its review has been due since "
                f"{answers.review_due(answer, model)} (answer_review: {model.settings.answer_review})",
                f"read it again, correct it if needed, then set reviewed_on to today ({model.today})",
            )

"""The error an answer no platform rule claimed becomes (connectors.common.answer_error)."""

import pytest

from connectors.common import answer_error
from connectors.errors import OutcomeUnknown, Rejected, TransientError


@pytest.mark.parametrize(
    ("status", "publishing", "kind", "words"),
    [
        (404, True, Rejected, "gone"),
        (422, False, Rejected, "gone"),
        (500, True, OutcomeUnknown, "LinkedIn answered 500 (gone): the post may exist"),
        (503, False, TransientError, "LinkedIn answered 503 (gone)"),
    ],
)
def test_an_unclaimed_answer_is_mapped_by_its_status(status, publishing, kind, words):
    error = answer_error("linkedin", "LinkedIn", status, "gone", publishing=publishing)
    assert type(error) is kind
    assert words in str(error)
    assert error.code == status


def test_a_platform_error_name_is_kept_as_the_code():
    error = answer_error(
        "bluesky", "app.bsky.feed.getPosts", 400, "x", publishing=False, code="Bad"
    )
    assert error.code == "Bad"

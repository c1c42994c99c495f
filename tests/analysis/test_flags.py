"""Flags on ingested comments: which ones a person should look at, and why."""

from __future__ import annotations

import pytest

from analysis.flags import (
    FLAGS,
    HOSTILE,
    NEEDS_REPLY,
    NEGATIVE,
    flag_comment,
    is_hostile,
    needs_reply,
)
from analysis.sentiment import Sentiment

NEUTRAL = Sentiment("neutral", 0.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Recruitment leads: applying, requirements, pay, benefits, age, tests, events.
        ("How do I apply?", True),
        ("What is the starting salary for a police officer?", True),
        ("Is there an age limit for applying?", True),
        ("My son is 17, can he start the process now?", True),
        ("Do you accept applicants with out of state experience?", True),
        ("Where is the career fair being held?", True),
        ("What time does the event start on Saturday?", True),
        ("Does the department offer tuition reimbursement?", True),
        ("Asking for a friend: do tattoos disqualify you?", True),
        ("Are you hiring laterals? I have 6 years with the county", True),
        ("Salary?", True),
        ("I'm interested in the academy, please send info", True),
        ("hi, is the info session online or in person", True),
        ("What’s the pension like after 20 years?", True),
        # A question mark alone is not enough.
        ("Why?", False),
        ("Did you see the game last night?", False),
        ("Really??", False),
        # Statements about the topics are not questions.
        ("The application deadline is listed on the website", False),
        ("My brother did the ride along program last year", False),
        ("Great job at the career fair!", False),
        # Rhetorical jabs are not leads.
        ("Lol who would want this job?", False),
        ("You shot an unarmed man last year and now you want recruits?", False),
        ("Are you kidding? Who would apply to this department?", False),
        ("How much do they pay you pigs to lie?", False),
    ],
)
def test_needs_reply(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Abuse aimed at officers.
        ("Pigs", True),
        ("Oink oink", True),
        ("F*ck the police", True),
        ("fuck you and your recruitment ads", True),
        ("ACAB", True),
        ("scumbag cops, all of you", True),
        ("you clowns can't even answer a phone", True),
        ("Thugs in blue", True),
        ("what an asshole", True),
        # Threats, including wishes and calls to violence.
        ("I hope you all get shot", True),
        ("someone should kill them all", True),
        ("watch your back", True),
        ("you're next.", True),
        # Light obfuscation.
        ("p!gs", True),
        ("P1GS", True),
        ("a$$hole", True),
        ("f.u.c.k the police", True),
        # Ordinary comments with look-alike words stay unflagged.
        ("Guinea pigs for the new equipment lol", False),
        ("Pig roast fundraiser was great", False),
        ("Pigskin party at the station Sunday", False),
        ("I felt like an idiot on the agility test", False),
        ("I will shoot my shot and apply", False),
        ("Going to get my application in tonight", False),
        ("We will beat the fire department at softball", False),
        ("Shoot, I missed the deadline", False),
        ("Skills test was hard but fair", False),
        ("@user $5 parking at the fair", False),
        ("You are next in line for the interview", False),
        ("Great job at the shooting range qualification!", False),
        # Sharp criticism is negative, not hostile: it stays part of the conversation.
        ("This department has a terrible reputation", False),
        ("Defund the police", False),
    ],
)
def test_hostile(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "sentiment", "expected"),
    [
        ("How do I apply?", NEUTRAL, {NEEDS_REPLY}),
        ("Pigs", Sentiment("negative", -0.8), {HOSTILE, NEGATIVE}),
        (
            "I applied three times and never heard back, how do I check my status?",
            Sentiment("negative", -0.4),
            {NEEDS_REPLY, NEGATIVE},
        ),
        ("Waste of taxpayer money", Sentiment("negative", -0.6), {NEGATIVE}),
        ("Congrats to the new recruits!", Sentiment("positive", 0.9), set()),
        ("Congrats to the new recruits!", NEUTRAL, set()),
    ],
)
def test_flag_comment_combines_the_flags(text: str, sentiment: Sentiment, expected: set) -> None:
    flags = flag_comment(text, sentiment)
    assert isinstance(flags, frozenset)
    assert flags == expected
    assert flags <= FLAGS

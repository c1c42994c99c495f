"""Recruitment outcomes: reading applicant-tracking and analytics exports, attributing
applications and visits to campaigns, posts, platforms and partners, and summarising them
(docs/outcomes.md)."""

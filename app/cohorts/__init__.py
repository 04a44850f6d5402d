"""Cohorts, their participants, sessions and invitations."""

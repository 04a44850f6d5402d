"""Facilitator accounts and sign-in."""

"""Wellspring: the network-map exercise for leadership cohorts."""

"""Synthetic data at scale for benchmarks (`manage.py generate_bulk`): what rows
to make (generator) apart from how they are written fast (writer). Nothing in
the record imports it."""

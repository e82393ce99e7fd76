"""Realistic demo data, built through the real services (`python manage.py seed_demo`)."""

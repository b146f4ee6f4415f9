"""The demo: a realistic, seeded city generated from a targets file."""

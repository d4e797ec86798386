"""End-to-end tests in headless Chromium (run with `pytest e2e`)."""

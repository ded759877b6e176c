from tests.public.conftest import world  # noqa: F401  (shared fixture)

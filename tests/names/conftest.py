from tests.api.conftest import api, api_token  # noqa: F401  (the API test's client and token)

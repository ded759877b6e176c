from config.default import Config as Default


class Config(Default):
    ENV_NAME = "production"
    SECRET_KEY = None  # must come from the environment
    SQLALCHEMY_DATABASE_URI = None  # DATABASE_URL is required
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    MAIL_BACKEND = "smtp"
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
    CACHE_TYPE = "RedisCache"
    # short timeouts: a Redis that hangs must not hold pages up (they render uncached)
    CACHE_REDIS_URL = "redis://127.0.0.1:6379/0?socket_connect_timeout=0.2&socket_timeout=0.5"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}

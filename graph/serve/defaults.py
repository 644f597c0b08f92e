"""The endpoint's default limits, apart from the server so the command line reads them cheaply."""

DEFAULT_PORT, DEFAULT_TIMEOUT = 7878, 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_PER_CLIENT = 1
DEFAULT_MAX_MEMORY_MB = 1024
DEFAULT_CACHE_MB = 64

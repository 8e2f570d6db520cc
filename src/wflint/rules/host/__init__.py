"""WFL4xx: the host — environment variables and host-dependent values."""

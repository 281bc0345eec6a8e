"""Argon2id with the parameters every stack of this project uses."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """OWASP's argon2id minimum: 19 MiB of memory, 2 passes, 1 lane.

    Django's defaults (100 MiB, 8 lanes) cost several times the CPU per login, and a burst of
    logins at 100 MiB each outgrows a 512 MiB container. Each gunicorn thread hashes one
    password at a time, so hashing memory stays below workers x threads x 19 MiB. The
    algorithm name is Django's own, so hashes made with other parameters still verify and are
    re-hashed with these at the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

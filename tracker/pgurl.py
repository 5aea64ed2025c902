"""PostgreSQL URLs read as libpq reads them, with the values libpq would check only once
connected (or never) checked first; no message quotes the URL, which may hold a password."""

from __future__ import annotations

from typing import NoReturn

from events.errors import InvalidInput

URL_FORM = "use postgresql://user[:password]@host[:port]/dbname[?param=value&…]"
#: libpq's parameters whose values libpq checks only when it connects: refused here (exit 2)
CHOICES = {
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    "gssencmode": ("disable", "prefer", "require"),
    "channel_binding": ("disable", "prefer", "require"),
    "target_session_attrs": ("any", "read-write", "read-only", "primary", "standby", "prefer-standby"),
    "load_balance_hosts": ("disable", "random"),
    "sslcertmode": ("disable", "allow", "require"),
    "sslnegotiation": ("postgres", "direct"),
}
INTEGERS = ("connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
            "keepalives_count", "tcp_user_timeout")


def unparsable(reason: str) -> NoReturn:
    raise InvalidInput(
        f"the PostgreSQL URL does not parse: {reason}; {URL_FORM}, with the characters "
        "/ @ : ? # % in a user or password percent-encoded (/ as %2F, @ as %40)"
    )


def parse_pg_url(value: str) -> dict[str, str]:
    """libpq's reading of a URL; its error messages quote the URL, so they are not shown."""
    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(value)
    except Error as exc:
        text = str(exc)
        if "invalid URI query parameter" in text or "invalid connection option" in text:
            unparsable("a parameter after '?' is not one libpq knows (known ones include "
                       "sslmode, sslrootcert, sslcert, sslkey, connect_timeout, "
                       "application_name, options, target_session_attrs, host)")
        if "IPv6" in text:
            unparsable("an IPv6 host in [brackets] is not closed")
        unparsable("libpq cannot read it")
    return {key: str(item) for key, item in info.items() if item is not None}


def check_params(params: dict[str, str]) -> None:
    """Values libpq would only refuse once connected (or silently use): refused now."""
    for key, allowed in CHOICES.items():
        if key in params and params[key] not in allowed:
            raise InvalidInput(
                f"the PostgreSQL URL's {key}={params[key]!r} is not valid; use one of "
                f"{', '.join(allowed)}"
            )
    for key in INTEGERS:
        if key in params and not params[key].strip().lstrip("-").isdigit():
            raise InvalidInput(
                f"the PostgreSQL URL's {key}={params[key]!r} is not a whole number; give one"
            )
    if "replication" in params:
        raise InvalidInput("the PostgreSQL URL asks for a replication connection; remove "
                           "replication=… (a store needs a normal connection)")


def libpq_reason(text: str) -> str:
    """The last line of libpq's error without the "connection to server … failed:" prefix."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else text
    return line.rsplit(" failed: ", 1)[-1].strip().rstrip(".")

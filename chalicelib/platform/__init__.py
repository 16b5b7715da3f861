"""What every capability uses: settings, the one clock, domain errors, the event log, e-mail and its
outbox, signing, signed cursors, labelled transactions, rate limits and a short per-container cache.
Imports no capability."""

__all__ = [
    "cache",
    "clock",
    "config",
    "csvtext",
    "cursors",
    "deadlines",
    "errors",
    "eventlog",
    "faults",
    "ipmask",
    "mail",
    "outbox",
    "periods",
    "ratelimit",
    "ratelimit_rules",
    "scrub",
    "signing",
    "transactions",
    "xmltext",
]

"""Privacy by design (R_PRV, R_ACC_08/09, R_ENR_10): the privacy register every stored attribute is
declared in, the holder's rights derived from it (export, deletion), and the privacy clocks
(anonymisation, the retention self-check, the spend overview kept by anonymisation).

Others may call: `register`, `rights`, `summary` (the export as a page a person reads), `anonymise`,
`selfcheck`, `spend` and `schemas`. (IP masking is a
platform rule: `platform/ipmask.py`.)"""

__all__ = ["anonymise", "register", "rights", "schemas", "selfcheck", "spend", "summary"]

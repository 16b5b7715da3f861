"""Privacy by design (R_PRV, R_ACC_08/09): the privacy register every stored attribute is
declared in, and the holder's rights derived from it (export, deletion).

Others may call: `register` and `rights`. (IP masking is a platform rule: `platform/ipmask.py`.)"""

__all__ = ["register", "rights"]

"""The contact form of visitors (R_CON_01-04): a question to CFB that is gone within a week.

Others may call: `use_cases.submit`, `use_cases.purge_due` (the job), `rules` (the right of access finds a
mailbox's messages by `sender_hash` and shows them while `visible`, R_ACC_09; the retention self-check reads
the purge days by them, R_PRV_02) and `mails.RENDERERS` (wired in `chalicelib/wiring.py`).
"""

__all__ = ["mails", "rules", "schemas", "use_cases"]

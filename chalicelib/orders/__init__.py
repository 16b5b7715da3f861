"""Order lists (R_ORD_01-04, R_ENR_08): the nightly job, the list for order-authorised staff, the export.

Others may call `use_cases.build_order_lists` (the job) and `rules.needs_second_look` (the enrolment
flow marks changes made on or after the start day)."""

__all__ = ["rules", "schemas", "use_cases"]

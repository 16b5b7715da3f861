"""Order lists (R_ORD_01-04, R_ENR_08): the nightly job, the list for order-authorised staff, the export.

Others may call `use_cases.build_order_lists` (the job), `rules.needs_second_look` (the enrolment
flow marks changes made on or after the start day) and `rules.line_id_for` (the right of access reads an
enrolment's line by the key it derives, R_ACC_09)."""

__all__ = ["rules", "schemas", "use_cases"]

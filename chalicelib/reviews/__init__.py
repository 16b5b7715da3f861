"""Reviews (R_REV): those who followed a course rate it, anonymously unless they choose their name;
the rating summary, the views per role, changes by the author or CFB, and the review invitation.

Others may call: `use_cases` (write, read, change, delete, rating summary, the account's reviews on
deletion, the invitation job), `mails` (the invitation's renderer) and the pure `rules`."""

__all__ = ["mails", "rules", "use_cases"]

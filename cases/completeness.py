"""What a record must hold before the step that submits it may go ahead."""

from __future__ import annotations


class RequiredForSubmission:
    """Mixed into records that are drafted and then submitted with a step of the case."""

    REQUIRED_FOR_SUBMISSION: dict[str, str] = {}

    def missing_for_submission(self) -> dict[str, str]:
        """Field name -> what to do about it, for each required field still empty."""
        return {
            field: message
            for field, message in self.REQUIRED_FOR_SUBMISSION.items()
            if getattr(self, field) is None or str(getattr(self, field)).strip() == ""
        }

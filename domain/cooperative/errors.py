"""What a cooperative's books refuse: each message says what the treasurer sees in the books
and what to do."""

from __future__ import annotations

from domain.errors import InvalidValue, RuleViolation


class NotAMember(RuleViolation):
    code = "not_a_member"
    template = "{member_id} is not a member of this cooperative: only members save or borrow."


class MemberIsAWorker(RuleViolation):
    code = "member_is_a_worker"
    template = (
        "Member {member_id} is registered worker {worker_id}: erase the worker's data, which "
        "covers their membership."
    )


class MemberAlreadyErased(RuleViolation):
    code = "member_already_erased"
    template = "The personal data of member {member_id} has already been erased."


class MemberHasLeft(RuleViolation):
    code = "member_has_left"
    template = (
        "Member {member_id} left the cooperative on {left_on}: nothing more can be recorded "
        "for them. Admit them again as a new member if they rejoin."
    )


class AlreadyAMember(RuleViolation):
    code = "already_a_member"
    template = "This person is already a member of the cooperative (member {member_id})."


class SavingsLockedWhileMember(RuleViolation):
    code = "savings_locked_while_member"
    template = (
        "Simpanan {kind} cannot be withdrawn while the person is a member: it is paid back "
        "when the member leaves. Only simpanan sukarela can be withdrawn."
    )


class WithdrawalExceedsBalance(RuleViolation):
    code = "withdrawal_exceeds_balance"
    template = (
        "The member has {balance:en} in simpanan {kind}; a withdrawal of {amount:en} "
        "is more than that."
    )


class NoSuchLoan(RuleViolation):
    code = "no_such_loan"
    template = "The cooperative has no loan {loan_id}."


class LoanAlreadyRepaid(RuleViolation):
    code = "loan_already_repaid"
    template = "Loan {loan_id} is already fully repaid: nothing more is owed."


class RepaymentExceedsOutstanding(RuleViolation):
    code = "repayment_exceeds_outstanding"
    template = (
        "Loan {loan_id} has {outstanding:en} outstanding; a repayment of {amount:en} "
        "is more than is owed."
    )


class OutstandingLoanBlocksLeaving(RuleViolation):
    code = "outstanding_loan_blocks_leaving"
    template = (
        "The member still owes {outstanding:en} on {loans} loan(s) and cannot leave the "
        "cooperative until it is repaid."
    )


class AnnualMeetingAlreadyHeld(RuleViolation):
    code = "annual_meeting_already_held"
    template = (
        "The annual members' meeting (RAT) of {year} was already recorded, held on {held_on}."
    )


class DateTooEarly(InvalidValue):
    """A date before the thing it follows (a deposit before the member joined)."""

    code = "date_too_early"
    template = "{field}: {reason} ({earliest})"

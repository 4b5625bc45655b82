"""The Koperasi Desmigratif (pillar 4): members, their savings, loans, business units and
annual members' meetings (RAT).

The books follow what a village treasurer keeps under the cooperative law (UU 25/1992):

- Only members save or borrow, and a member who has left cannot transact any more.
- Savings are kept per member and per kind. Simpanan **pokok** (paid once on joining) and
  **wajib** (the regular mandatory saving) are the member's share of the cooperative's capital:
  they cannot be taken out while the person is a member and are paid back, in full, when the
  member leaves. Simpanan **sukarela** (voluntary) can be withdrawn at any time, up to its
  balance.
- A loan is repaid up to its principal, never beyond: no repayment may exceed what is owed.
  (Interest, *jasa*, is not modelled yet; a later event can add it to what is owed.)
- A member who still owes on a loan cannot leave: their savings would be paid out while the
  debt stays open.

Money is whole rupiah (``domain.money``). Every breach is a ``RuleViolation`` whose message
says what the treasurer sees in the books and what to do.

The state holds the names (and NIKs, when given) of members who are not registered workers:
their events are sealed with each member's own key, but a snapshot of this aggregate would hold
many people's data under no single key, so the Cooperative must not be snapshotted.
"""

from domain.cooperative.aggregate import Cooperative
from domain.cooperative.errors import (
    AlreadyAMember,
    AnnualMeetingAlreadyHeld,
    DateTooEarly,
    LoanAlreadyRepaid,
    MemberAlreadyErased,
    MemberHasLeft,
    MemberIsAWorker,
    NoSuchLoan,
    NotAMember,
    OutstandingLoanBlocksLeaving,
    RepaymentExceedsOutstanding,
    SavingsLockedWhileMember,
    WithdrawalExceedsBalance,
)
from domain.cooperative.state import (
    MAX_ATTENDEES,
    MAX_TERM_MONTHS,
    WITHDRAWABLE_WHILE_MEMBER,
    BusinessUnit,
    Loan,
    Meeting,
    Member,
    MemberKind,
    SavingsKind,
)

__all__ = [
    "MAX_ATTENDEES",
    "MAX_TERM_MONTHS",
    "WITHDRAWABLE_WHILE_MEMBER",
    "AlreadyAMember",
    "AnnualMeetingAlreadyHeld",
    "BusinessUnit",
    "Cooperative",
    "DateTooEarly",
    "Loan",
    "LoanAlreadyRepaid",
    "Meeting",
    "Member",
    "MemberAlreadyErased",
    "MemberHasLeft",
    "MemberIsAWorker",
    "MemberKind",
    "NoSuchLoan",
    "NotAMember",
    "OutstandingLoanBlocksLeaving",
    "RepaymentExceedsOutstanding",
    "SavingsKind",
    "SavingsLockedWhileMember",
    "WithdrawalExceedsBalance",
]

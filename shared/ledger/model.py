"""The ledger's vocabulary: entry types, the wallet and a change to it."""

from enum import StrEnum

from pydantic import BaseModel, Field


class EntryType(StrEnum):
    CREDITS_PURCHASE = "credits_purchase"
    CREDITS_GRANT = "credits_grant"
    CREDITS_LOCK = "credits_lock"
    CREDITS_REFUND = "credits_refund"  # a session's lock released (success)
    CREDITS_BURN = "credits_burn"  # a session's lock consumed (failure)
    ASH_GRANT = "ash_grant"
    CREDITS_SPEND = "credits_spend"
    CREDITS_SPEND_REFUND = "credits_spend_refund"
    CREDITS_CLAWBACK = "credits_clawback"
    ADMIN_ADJUSTMENT = "admin_adjustment"


class Wallet(BaseModel):
    """Balances on the user document. `credits` includes `locked`; `debt` is clawed back
    credits the user did not have, paid off first by later inflows."""

    credits: int = 0
    locked: int = 0
    ash: int = 0
    debt: int = 0

    @property
    def available(self) -> int:
        return self.credits - self.locked

    def plus(self, delta: "Delta") -> "Wallet":
        return Wallet(
            credits=self.credits + delta.credits,
            locked=self.locked + delta.locked,
            ash=self.ash + delta.ash,
            debt=self.debt + delta.debt,
        )


class Delta(BaseModel):
    credits: int = 0
    locked: int = 0
    ash: int = 0
    debt: int = 0


class NewEntry(BaseModel):
    """An entry to post. `amount` is positive, except an admin_adjustment may be negative."""

    id: str = Field(min_length=1, max_length=200, pattern=r"^[^/]+$")
    type: EntryType
    amount: int
    refs: dict[str, str] = Field(default_factory=dict)
    reason: str | None = None

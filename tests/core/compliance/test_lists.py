"""Consent and business-relationship lifetimes; internal lists."""

from datetime import UTC, datetime

from tidal.core.compliance.lists import (
    ComplianceLists,
    Consent,
    ConsentKind,
    DncEntry,
    add_months,
)

T0 = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)
NUMBER = 2125550123


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(T0, 1) == datetime(2026, 2, 28, 15, 0, tzinfo=UTC)
    assert add_months(T0, 18) == datetime(2027, 7, 31, 15, 0, tzinfo=UTC)
    assert add_months(datetime(2027, 11, 30, tzinfo=UTC), 3) == datetime(2028, 2, 29, tzinfo=UTC)


def test_ebr_after_purchase_lasts_18_months_inquiry_3_written_until_revoked() -> None:
    purchase = Consent(NUMBER, ConsentKind.PURCHASE, "order 17", T0)
    inquiry = Consent(NUMBER, ConsentKind.INQUIRY, "web form", T0)
    written = Consent(NUMBER, ConsentKind.WRITTEN, "signed form", T0)
    assert purchase.valid_at(datetime(2027, 7, 31, 14, 59, tzinfo=UTC))
    assert not purchase.valid_at(datetime(2027, 7, 31, 15, 0, tzinfo=UTC))
    assert inquiry.valid_at(datetime(2026, 4, 30, 14, 0, tzinfo=UTC))
    assert not inquiry.valid_at(datetime(2026, 4, 30, 15, 0, tzinfo=UTC))
    assert written.valid_at(datetime(2040, 1, 1, tzinfo=UTC))
    assert not written.valid_at(datetime(2026, 1, 1, tzinfo=UTC))  # not before it was given
    assert (purchase.ground, written.ground) == ("ebr", "consent")


def test_grounds_and_revocation() -> None:
    lists = ComplianceLists()
    lists.grant(Consent(NUMBER, ConsentKind.INQUIRY, "web", T0))
    lists.grant(Consent(NUMBER, ConsentKind.WRITTEN, "form", T0))
    assert lists.grounds(NUMBER, T0) == ("consent", "ebr")
    assert lists.exempt_numbers(T0) == [NUMBER]
    assert lists.revoke(NUMBER) == 2
    assert lists.grounds(NUMBER, T0) == ()


def test_internal_lists_company_wide_and_per_campaign() -> None:
    lists = ComplianceLists()
    lists.add_internal(DncEntry(NUMBER, "renewals", "agent", T0))
    assert lists.internal_entry(NUMBER, "renewals") is not None
    assert lists.internal_entry(NUMBER, "winback") is None
    assert lists.internal_entry(NUMBER, None) is None
    lists.add_internal(DncEntry(NUMBER + 1, None, "opt_out:sms", T0))
    assert lists.internal_entry(NUMBER + 1, "winback") is not None
    assert lists.internal_numbers("renewals") == [NUMBER, NUMBER + 1]
    assert lists.internal_numbers() == [NUMBER + 1]
    assert lists.remove_internal(NUMBER, "renewals")
    assert not lists.remove_internal(NUMBER, "renewals")

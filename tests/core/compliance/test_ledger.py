"""The 30-day abandonment ledger (TSR 16 CFR 310.4(b)(4)(i))."""

from datetime import date, timedelta

import pytest

from tidal.core.compliance.ledger import AbandonLedger

DAY = date(2026, 11, 23)


def test_rate_is_abandoned_over_human_answered_in_a_rolling_30_days() -> None:
    ledger = AbandonLedger()
    ledger.record("renewals", DAY - timedelta(days=30), human_answered=100, abandoned=50)  # gone
    ledger.record("renewals", DAY - timedelta(days=29), human_answered=400, abandoned=8)
    ledger.record("renewals", DAY, human_answered=600, abandoned=12)
    ledger.record("other", DAY, human_answered=10, abandoned=10)
    assert ledger.totals("renewals", DAY) == (20, 1000)
    assert ledger.rate("renewals", DAY) == pytest.approx(0.02)
    assert ledger.rate("unknown", DAY) == 0.0


def test_headroom_says_how_many_more_abandons_the_cap_allows() -> None:
    ledger = AbandonLedger()
    ledger.record("c", DAY, human_answered=1000, abandoned=20)
    # (20 + k) / (1000 + k) <= 0.03  <=>  k <= 10.3
    assert ledger.headroom("c", DAY, 0.03) == 10
    assert not ledger.would_exceed("c", DAY, 0.03)
    ledger.record("c", DAY, human_answered=10, abandoned=10)
    assert ledger.headroom("c", DAY, 0.03) == 0
    assert ledger.would_exceed("c", DAY, 0.03)
    # The budget recovers as old days leave the window and new answered calls come in.
    later = DAY + timedelta(days=30)
    ledger.record("c", later, human_answered=40)
    assert ledger.totals("c", later) == (0, 40)
    assert not ledger.would_exceed("c", later, 0.03)


def test_a_fresh_campaign_may_not_abandon_its_very_first_answered_call() -> None:
    # 1 abandoned out of 1 answered is 100%: the cap binds from the first call, so a
    # predictive campaign starts by building human-answered volume first.
    assert AbandonLedger().would_exceed("new", DAY, 0.03)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        AbandonLedger().record("c", DAY, human_answered=-1)

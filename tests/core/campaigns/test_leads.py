"""Lead lists: bad rows are rejected with row, column and reason; good rows never lost."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidal.core.campaigns import detect_columns, parse_leads

HEADER = ["first_name", "Home Phone", "mobile", "zip", "tz", "plan"]


def test_rows_are_normalised_kept_or_rejected_with_a_reason() -> None:
    rows = [
        ["Ann", "(212) 555-0100", "", "10001", "", "gold"],
        ["Bob", "555-0101", "", "", "", "silver"],  # too short: rejected
        ["Cy", "", "", "", "", "gold"],  # no phone: rejected
        ["Di", "1-305-555-0102", "+1 305 555 0103", "33101", "America/New_York", "bronze"],
        ["Ed", "212.555.0104", "", "ABCDE", "", "gold"],  # bad ZIP
        ["Flo", "2125550105", "", "", "Mars/Olympus", "gold"],  # bad zone
    ]
    result = parse_leads(HEADER, rows)
    assert result.rows == 6
    assert [lead.row for lead in result.leads] == [1, 4]
    assert result.leads[0].numbers == (("Home Phone", "+12125550100"),)
    assert result.leads[0].data == {"first_name": "Ann", "plan": "gold"}
    di = result.leads[1]
    assert di.numbers == (("Home Phone", "+13055550102"), ("mobile", "+13055550103"))
    assert (di.postal_code, di.time_zone) == ("33101", "America/New_York")
    assert result.rejected_rows == [2, 3, 5, 6]
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons[(2, "Home Phone")] == "not a valid phone number"
    assert reasons[(3, "Home Phone, mobile")] == "no phone number"
    assert "ZIP" in reasons[(5, "zip")]
    assert "IANA" in reasons[(6, "tz")]
    assert (
        str(result.errors[0]) == "row 2, column 'Home Phone': not a valid phone number ('555-0101')"
    )


def test_duplicates_merge_within_the_list_and_against_the_campaign() -> None:
    rows = [
        ["Ann", "2125550100", "", "", "", "a"],
        ["Ann again", "", "212-555-0100", "", "", "b"],  # same number: merged, nothing new
        ["Ann's cell", "(212) 555-0100", "2125550177", "", "", "c"],  # adds a number
        ["Known", "3055550100", "", "", "", "d"],  # the campaign has it already
    ]
    result = parse_leads(HEADER, rows, existing=["+13055550100"])
    assert len(result.leads) == 1
    [ann] = result.leads
    assert [n for _, n in ann.numbers] == ["+12125550100", "+12125550177"]
    assert ann.merged_rows == (2, 3)
    assert (result.merged, result.known) == (2, 1)


def test_phone_columns_can_be_named_and_missing_ones_are_precise_errors() -> None:
    assert detect_columns(["name", "Tel"], ["tel"]).phones == (1,)
    with pytest.raises(ValueError, match="no column named 'fax'"):
        detect_columns(["name", "Tel"], ["fax"])
    with pytest.raises(ValueError, match="no phone column found"):
        detect_columns(["name", "email"])


def test_short_and_long_rows() -> None:
    result = parse_leads(["name", "phone"], [["Ann"], ["Bob", "2125550100", "extra"]])
    assert [e.reason for e in result.errors] == ["no phone number", "3 cells for 2 columns"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2125550100", "(305) 555-0101", "12345", "", "212-555-01x"]),
            st.sampled_from(["", "10001", "bad"]),
        ),
        max_size=30,
    )
)
def test_every_row_is_accounted_for(rows: list[tuple[str, str]]) -> None:
    result = parse_leads(["phone", "zip"], [list(r) for r in rows])
    accounted = (
        {lead.row for lead in result.leads}
        | {r for lead in result.leads for r in lead.merged_rows}
        | set(result.rejected_rows)
    )
    # Every row is a lead, merged into one, rejected, or already known to the campaign.
    assert len(accounted) + result.known == result.rows
    numbers = [n for lead in result.leads for _, n in lead.numbers]
    assert len(numbers) == len(set(numbers))  # no number in two leads

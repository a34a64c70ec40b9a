"""Call scripts: the lead's fields in, nothing lost, nothing raised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tidal.core.campaigns.script import render_script


def test_fields_are_filled_in_by_name_in_any_case() -> None:
    script = "Hello {First_Name}, this is Acme about your {plan} plan ({ plan })."
    fields = {"first_name": "Ada", "plan": "gold"}
    assert render_script(script, fields) == "Hello Ada, this is Acme about your gold plan (gold)."


def test_an_unknown_or_empty_field_stays_visible_and_braces_escape() -> None:
    script = "Dear {name}, your code is {{1234}} and {missing}{ }."
    assert render_script(script, {"name": "", "other": 5}) == (
        "Dear {name}, your code is {1234} and {missing}{ }."
    )
    assert render_script("{a}{b}", {"a": 1, "b": 2.5}) == "12.5"


@given(st.text(max_size=200), st.dictionaries(st.text(max_size=10), st.text(max_size=10)))
def test_any_script_renders_to_text(template: str, fields: dict[str, str]) -> None:
    rendered = render_script(template, fields)
    assert isinstance(rendered, str)
    if "{" not in template and "}" not in template:
        assert rendered == template

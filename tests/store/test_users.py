"""Users on both backends: names unique regardless of case, disable, delete, generations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from tests.store.conftest import Backend
from tidal.config import TextError
from tidal.store import (
    DuplicateUserError,
    LastAdminError,
    Role,
    SignInOutcome,
    Store,
    UnknownUserError,
)

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    opened = Store.open(backend.url, backend.home, hasher=FAST)
    yield opened
    opened.close()


def test_a_name_is_unique_regardless_of_case_and_unicode_form(store: Store) -> None:
    store.users.add("Alice", Role.AGENT, "pw-one")
    for other in ("alice", "ALICE", "\uff21lice", " alice "):
        with pytest.raises(DuplicateUserError):
            store.users.add(other, Role.AGENT, "pw-two")
    assert store.users.count() == 1
    assert store.users.get("aLiCe") == store.users.get("Alice")


def test_sign_in_finds_the_user_in_any_case_or_nfkc_form(store: Store) -> None:
    added = store.users.add("\uff21lice", Role.AGENT, "pw-one")  # fullwidth A is stored as A
    assert added.name == "Alice"
    for tried in ("alice", "ALICE", "\uff21LICE"):
        assert store.users.authenticate(tried, "pw-one") == (SignInOutcome.SIGNED_IN, added)


@pytest.mark.parametrize(
    "name", ["ali\u0000ce", "ali\u200bce", "\u202eecila", "a/b", "x" * 65, "  ", "tab\there"]
)
def test_bad_names_are_refused_naming_why(store: Store, name: str) -> None:
    with pytest.raises(TextError, match="user name"):
        store.users.add(name, Role.AGENT, "pw-one")
    assert store.users.count() == 0
    assert store.users.get(name) is None  # a lookup of such a name never reaches the database


def test_outcomes_of_signing_in(store: Store) -> None:
    store.users.add("ada", Role.ADMIN, "pw-ada")
    store.users.add("bob", Role.AGENT, "pw-bob")
    assert store.users.authenticate("bob", "nope") == (SignInOutcome.WRONG_PASSWORD, None)
    assert store.users.authenticate("carol", "pw-bob") == (SignInOutcome.UNKNOWN_USER, None)
    store.users.update("bob", disabled=True)
    assert store.users.authenticate("bob", "pw-bob") == (SignInOutcome.DISABLED, None)
    assert store.users.authenticate("bob", "nope") == (SignInOutcome.WRONG_PASSWORD, None)
    enabled = store.users.update("bob", disabled=False)
    assert store.users.authenticate("bob", "pw-bob") == (SignInOutcome.SIGNED_IN, enabled)


def test_disable_password_and_sign_out_bump_the_token_generation(store: Store) -> None:
    store.users.add("ada", Role.ADMIN, "pw-ada")
    bob = store.users.add("bob", Role.AGENT, "pw-bob")
    assert bob.token_generation == 0
    assert store.users.update("bob", role=Role.SUPERVISOR).token_generation == 0
    assert store.users.update("bob", disabled=True).token_generation == 1
    assert store.users.update("bob", disabled=False).token_generation == 1
    assert store.users.update("bob", password="new-pw-bob").token_generation == 2
    assert store.users.sign_out_everywhere("BOB").token_generation == 3
    assert store.users.verify("bob", "new-pw-bob") is not None
    assert store.users.verify("bob", "pw-bob") is None


def test_rename_keeps_the_id_and_refuses_a_taken_key(store: Store) -> None:
    store.users.add("ada", Role.ADMIN, "pw-ada")
    bob = store.users.add("bob", Role.AGENT, "pw-bob")
    renamed = store.users.update("bob", new_name="Robert")
    assert (renamed.id, renamed.name) == (bob.id, "Robert")
    assert store.users.get("robert") == renamed and store.users.get("bob") is None
    with pytest.raises(DuplicateUserError):
        store.users.update("robert", new_name="ADA")
    assert store.users.get("robert") == renamed  # the refused rename changed nothing


def test_the_last_enabled_admin_cannot_be_disabled_demoted_or_deleted(store: Store) -> None:
    store.users.add("ada", Role.ADMIN, "pw-ada")
    store.users.add("bob", Role.AGENT, "pw-bob")
    for change in (
        lambda: store.users.update("ada", disabled=True),
        lambda: store.users.update("ada", role=Role.SUPERVISOR),
        lambda: store.users.delete("ada"),
    ):
        with pytest.raises(LastAdminError, match="last enabled admin"):
            change()
    ada = store.users.get("ada")
    assert ada is not None and ada.role is Role.ADMIN and not ada.disabled
    store.users.update("bob", role=Role.ADMIN)
    store.users.update("ada", disabled=True)  # bob is an enabled admin now
    with pytest.raises(LastAdminError):
        store.users.delete("bob")
    store.users.delete("ada")  # a disabled admin is not the last one
    assert [u.name for u in store.users.list()] == ["bob"]


def test_deleting_a_user_keeps_their_agent_profile_without_a_user(store: Store) -> None:
    store.users.add("ada", Role.ADMIN, "pw-ada")
    bob = store.users.add("bob", Role.AGENT, "pw-bob")
    store.agents.add("a2", "support", {"support": 2}, bob.id)
    assert store.users.delete("Bob").id == bob.id
    assert store.users.get("bob") is None and store.users.get_by_id(bob.id) is None
    profile = store.agents.get("a2")
    assert profile is not None and profile.user_id is None
    with pytest.raises(UnknownUserError, match="no user 'bob'"):
        store.users.delete("bob")


def test_the_migration_fills_keys_for_existing_users(backend: Backend) -> None:
    """Users stored before revision 0004 get their key and sign in in any case."""
    from alembic import command

    from tidal.store._store import migrate, migration_config

    with Store.open(backend.url, backend.home, hasher=FAST) as store:
        store.users.add("Zoë", Role.ADMIN, "pw-zoe")
        with store.engine.begin() as conn:
            config = migration_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0003_api_flows")
            columns = conn.execute(text("SELECT * FROM users")).mappings().one()
            assert "name_key" not in columns
        migrate(store.engine)
        user = store.users.get("ZOË")
        assert user is not None and user.name == "Zoë" and not user.disabled
        assert store.users.verify("zoë", "pw-zoe") == user


def test_access_states_read_many_users_in_one_query(store: Store) -> None:
    ada = store.users.add("ada", Role.ADMIN, "pw-ada")
    bob = store.users.add("bob", Role.AGENT, "pw-bob")
    store.users.update("bob", disabled=True)
    assert store.users.access_states([ada.id, bob.id, 9999]) == {
        ada.id: (False, 0, "admin"),
        bob.id: (True, 1, "agent"),
    }
    assert store.users.access_states([]) == {}

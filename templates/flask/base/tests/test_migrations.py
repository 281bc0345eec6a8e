from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.database import Base, create_db_engine

from .support import alembic_config, run_migrations


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_models_match_the_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_the_revisions_form_one_line_from_the_users_table() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    # Two heads would mean two revisions share a parent: `upgrade head` would refuse to run.
    assert len(script.get_heads()) == 1
    assert script.get_base() == "0001"


def test_upgrade_is_idempotent_and_downgrade_reverses_it(tmp_path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
    try:
        run_migrations(engine)
        run_migrations(engine)
        assert current_revision(engine) == head_revision()
        tables = set(Base.metadata.tables)  # users and every resource's table
        assert tables <= set(inspect(engine).get_table_names())

        run_migrations(engine, "base", down=True)
        assert current_revision(engine) is None
        assert not tables & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()

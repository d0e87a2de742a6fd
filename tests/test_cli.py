from typer.main import get_command
from typer.testing import CliRunner

from aiguillage.cli import app

runner = CliRunner()


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_cli_every_command_has_help_with_an_example():
    for path, command in _commands(get_command(app)):
        assert command.help, f"{' '.join(path)} has no help"
        assert "Example: aiguillage" in command.help, f"{' '.join(path)} has no example"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, result.output


def test_cli_predict_without_model_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("AIGUILLAGE_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("AIGUILLAGE_VAR_DIR", str(tmp_path / "var"))
    result = runner.invoke(app, ["predict", "Mon RSA n'est pas versé"])
    assert result.exit_code == 1
    assert "no production model" in result.output and "Traceback" not in result.output


def test_cli_predict_prints_a_readable_suggestion(mini_model_env, monkeypatch):
    settings, _ = mini_model_env
    monkeypatch.setenv("AIGUILLAGE_MODELS_DIR", str(settings.models_dir))
    monkeypatch.setenv("AIGUILLAGE_VAR_DIR", str(settings.var_dir))
    result = runner.invoke(app, ["predict", "Mon RSA n'est plus versé depuis mars, j'ai appelé le 3230."])
    assert result.exit_code == 0, result.output
    assert "Recevabilité :" in result.output and "Orientation :" in result.output


def test_cli_retrain_promotes_a_candidate_that_passes_the_gate(tmp_path, monkeypatch):
    from aiguillage.registry import production_version
    from tests.conftest import FIXTURES

    monkeypatch.setenv("AIGUILLAGE_DATA_DIR", str(FIXTURES))
    monkeypatch.setenv("AIGUILLAGE_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("AIGUILLAGE_VAR_DIR", str(tmp_path / "var"))
    first = runner.invoke(app, ["retrain"])
    assert first.exit_code == 0, first.output
    assert "no production model yet" in first.output and "promoted" in first.output
    promoted = production_version(tmp_path / "models")
    second = runner.invoke(app, ["retrain"])  # same data and seed: equal metrics pass the gate
    assert second.exit_code == 0, second.output
    assert production_version(tmp_path / "models") != promoted

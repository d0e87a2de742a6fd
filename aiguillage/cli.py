"""The ``aiguillage`` command line: each command parses, calls one library function, prints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from aiguillage.settings import Settings

app = typer.Typer(
    help="Aiguillage: triage suggestions for Caf administrative mediators.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Check and describe the annotated corpus.", no_args_is_help=True)
app.add_typer(data_app, name="data")
token_app = typer.Typer(help="API tokens for users and services.", no_args_is_help=True)
app.add_typer(token_app, name="token")
user_app = typer.Typer(help="People who log in to the mediator pages.", no_args_is_help=True)
app.add_typer(user_app, name="user")

DataDir = Annotated[Path | None, typer.Option("--data", help="Corpus folder (default: data/annotated).")]


def fail(message: str, code: int = 1) -> None:
    """Print one line on stderr and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@data_app.command("check")
def data_check(data: DataDir = None, card: bool = typer.Option(True, help="Write DATA_CARD.md.")) -> None:
    """Validate the corpus (codes, fields, duplicates, floors, split) and write its data card.

    Exits non-zero on any violation. Example: aiguillage data check --data data/annotated
    """
    from aiguillage.datacard import write_data_card
    from aiguillage.datacheck import check_corpus

    data_dir = data or Settings().data_dir
    report = check_corpus(data_dir)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}")
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    if card and report.cases:
        typer.echo(f"data card written to {write_data_card(report, data_dir)}")
    typer.echo(f"{len(report.cases)} cases read, {len(report.errors)} problems")
    if not report.ok:
        raise typer.Exit(1)


@data_app.command("split")
def data_split(data: DataDir = None) -> None:
    """Record the frozen split of every case in splits.tsv (existing ids keep theirs).

    Example: aiguillage data split
    """
    from aiguillage.records import CorpusError, load_cases
    from aiguillage.splits import write_splits

    data_dir = data or Settings().data_dir
    try:
        cases = load_cases(data_dir)
    except CorpusError as error:
        fail(str(error))
    write_splits(data_dir, [case.id for case in cases])
    typer.echo(f"splits recorded for {len(cases)} cases in {data_dir / 'splits.tsv'}")


@data_app.command("sample")
def data_sample(
    output: Annotated[Path, typer.Option(help="Where to write the blind sample (id and text only).")],
    data: DataDir = None,
    share: float = 0.1,
    seed: int = 2026,
) -> None:
    """Draw the random sample for blind second annotation, without its labels.

    Example: aiguillage data sample --output /tmp/blind_texts.jsonl
    """
    from aiguillage.agreement import draw_sample
    from aiguillage.records import load_cases

    sample = draw_sample(load_cases(data or Settings().data_dir), share=share, seed=seed)
    output.write_text("".join(json.dumps({"id": c.id, "text": c.text}, ensure_ascii=False) + "\n" for c in sample))
    typer.echo(f"{len(sample)} texts written to {output}")


@data_app.command("agreement")
def data_agreement(
    stage: Annotated[str, typer.Option(help="Name of this measurement, e.g. 'before adjudication'.")],
    data: DataDir = None,
) -> None:
    """Compare agreement/blind.jsonl with the corpus labels and record kappa and F1 per field.

    Example: aiguillage data agreement --stage "after adjudication"
    """
    from aiguillage.agreement import write_agreement
    from aiguillage.records import load_cases

    data_dir = data or Settings().data_dir
    for row in write_agreement(data_dir, load_cases(data_dir), stage=stage):
        f1 = "" if row.micro_f1 is None else f"  micro-F1 {row.micro_f1:.3f}"
        typer.echo(f"{row.field:<13} n={row.n}  observed {row.observed:.3f}  kappa {row.kappa:.3f}{f1}")


@contextmanager
def _store_session(settings: Settings) -> Iterator[Any]:
    """A session on the case store, its schema migrated first (the service does the same at start)."""
    from service.db import make_engine, make_sessionmaker, upgrade_database

    url = settings.resolved_database_url
    upgrade_database(url)
    with make_sessionmaker(make_engine(url))() as session:
        yield session


def _secret(settings: Settings) -> bytes:
    from aiguillage.keys import load_or_create_secret

    return load_or_create_secret(settings.resolved_secret_key_file)


def _headline(metrics: dict) -> str:
    recevabilite = metrics["recevabilite"]
    return " · ".join(
        [
            f"motifs micro-F1 {metrics['motifs']['micro_f1']:.3f}",
            f"prestations micro-F1 {metrics['prestations']['micro_f1']:.3f}",
            f"recevabilité macro-F1 {recevabilite['macro_f1']:.3f} (accuracy {recevabilite['accuracy']:.3f})",
            f"émetteur accuracy {metrics['emetteur']['accuracy']:.3f}",
            f"urgence recall {metrics['urgence']['per_label']['urgent']['recall']:.3f}",
        ]
    )


@app.command()
def train(
    data: DataDir = None, seed: int = typer.Option(13, help="Random seed (same data and seed, same model).")
) -> None:
    """Train a new model version from the annotated corpus and print its held-out metrics (does not promote it).

    Example: aiguillage train --data data/annotated --seed 13
    """
    from aiguillage.records import CorpusError
    from training.register import train_version

    settings = Settings()
    try:
        version, result = train_version(settings, data_dir=data, seed=seed)
    except (CorpusError, ValueError) as error:
        fail(str(error))
    typer.echo(f"version {version} trained in {result.seconds:.0f} s on {result.counts}")
    for split, metrics in result.metrics.items():
        typer.echo(f"{split:>4}: {_headline(metrics)}")
    typer.echo(f"promote it with: aiguillage promote {version}")


@app.command()
def retrain(data: DataDir = None, seed: int = 13) -> None:
    """The nightly job: closed cases + annotated corpus -> candidate -> gate -> promote or keep.

    The candidate is promoted only if no head is worse than production on the frozen test split.
    Example: aiguillage retrain
    """
    from aiguillage.registry import production_version, read_card
    from aiguillage.registry import promote as promote_version
    from service.store import closed_cases_for_training
    from training.gate import gate
    from training.register import train_version

    settings = Settings()
    with _store_session(settings) as session:
        closed = closed_cases_for_training(session)
    version, result = train_version(
        settings, data_dir=data, seed=seed, extra_cases=closed, extra_description={"closed_cases": len(closed)}
    )
    current = production_version(settings.models_dir)
    baseline = read_card(settings.models_dir, current)["metrics"].get("test") if current else None
    decision = gate(result.metrics["test"], baseline)
    for reason in decision.reasons:
        typer.echo(f"  {reason}")
    if decision.promote:
        promote_version(settings.models_dir, version, _secret(settings))
        typer.echo(f"candidate {version} (with {len(closed)} closed cases) promoted")
    else:
        typer.echo(f"candidate {version} kept out of production; {current} still serves")


@app.command()
def promote(version: str) -> None:
    """Make VERSION the production model (atomically); the service picks it up without restart.

    Example: aiguillage promote 2026-11-22T040000-3f2a
    """
    from aiguillage.registry import RegistryError
    from aiguillage.registry import promote as promote_version

    settings = Settings()
    try:
        promote_version(settings.models_dir, version, _secret(settings))
    except RegistryError as error:
        fail(str(error))
    typer.echo(f"{version} is now the production model")


@app.command()
def rollback() -> None:
    """Go back to the model that was in production before the current one.

    Example: aiguillage rollback
    """
    from aiguillage.registry import RegistryError
    from aiguillage.registry import rollback as rollback_version

    settings = Settings()
    try:
        version = rollback_version(settings.models_dir, _secret(settings))
    except RegistryError as error:
        fail(str(error))
    typer.echo(f"{version} is the production model again")


@app.command()
def models() -> None:
    """List model versions, the production one marked with *, and their test metrics.

    Example: aiguillage models
    """
    from aiguillage.registry import list_versions, production_version

    settings = Settings()
    cards = list_versions(settings.models_dir)
    if not cards:
        typer.echo("no model yet: run `aiguillage train`")
        return
    current = production_version(settings.models_dir)
    for card in cards:
        mark = "*" if card["version"] == current else " "
        test = card.get("metrics", {}).get("test")
        figures = _headline(test) if test else "no test metrics"
        typer.echo(f"{mark} {card['version']}  {card['created_at']}  {figures}")


@app.command()
def predict(
    text: Annotated[str | None, typer.Argument(help="One saisine to triage.")] = None,
    input: Annotated[Path | None, typer.Option("--input", help="JSON Lines with id and text.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Where to write one suggestion per line.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Version (default: production).")] = None,
    workers: Annotated[int, typer.Option(help="Processes for --input (each uses one core).")] = 2,
) -> None:
    """Suggest motifs, benefits, recevabilité, routing, émetteur and urgency, with the words that weighed.

    Example: aiguillage predict "Mon APL n'est plus versée depuis mars, j'ai fait une réclamation le 3 avril"
    Example: aiguillage predict --input saisines.jsonl --output suggestions.jsonl
    """
    from aiguillage.predict import format_suggestion, predict_file
    from aiguillage.registry import RegistryError, load_model

    if (text is None) == (input is None):
        fail("give either a TEXT or --input FILE (with --output FILE)")
    if input is not None and output is None:
        fail("--input needs --output")
    settings = Settings()
    try:
        triage = load_model(settings.models_dir, model, _secret(settings))
    except RegistryError as error:
        fail(str(error))
    if text is not None:
        if not text.strip():
            fail("the text is empty")
        typer.echo(format_suggestion(triage.predict([text])[0]))
        return
    try:
        written, errors = predict_file(triage, input, output, workers=workers)
    except OSError as error:
        fail(f"{input}: {error.strerror}")
    typer.echo(f"{written} lines written to {output} ({errors} with an error)")


@app.command()
def evaluate(
    cases: Annotated[Path, typer.Option("--cases", help="Labelled JSON Lines (format of TAXONOMY.md).")],
    report: Annotated[Path, typer.Option("--report", help="Where to write the HTML report.")],
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the figures as JSON.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Version (default: production).")] = None,
) -> None:
    """Compare the model's suggestions with the labels in FILE: per head, per label, slices, calibration.

    Example: aiguillage evaluate --cases closed.jsonl --report evaluation.html --json evaluation.json
    """
    from aiguillage.records import CorpusError, load_cases
    from aiguillage.registry import RegistryError, load_model
    from evaluation.report import evaluate as evaluate_model
    from evaluation.report import write_report

    settings = Settings()
    try:
        triage = load_model(settings.models_dir, model, _secret(settings))
        labelled = load_cases(cases)
    except (RegistryError, CorpusError) as error:
        fail(str(error))
    result = evaluate_model(triage, labelled)
    write_report(result, report, json_path)
    typer.echo(f"{len(labelled)} cases: {_headline(result.metrics)}")
    typer.echo(f"report written to {report}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per core; each holds the model).")] = 1,
) -> None:
    """Run the web service and the mediator pages (embedded SQLite database unless configured otherwise).

    Example: aiguillage serve --host 127.0.0.1 --port 8000 --workers 2
    """
    import uvicorn

    from aiguillage.registry import RegistryError, load_model
    from service.app import create_app

    settings = Settings()
    try:
        load_model(settings.models_dir, None, _secret(settings))
    except RegistryError as error:
        fail(str(error))
    from service.db import upgrade_database

    upgrade_database(settings.resolved_database_url)  # once, before several workers start
    if workers > 1:
        uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers, access_log=False)
    else:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option(help="User name (created if needed).")],
    role: Annotated[str, typer.Option(help="mediator, admin or service.")],
) -> None:
    """Print a new API token for USER (only its hash is stored: copy it now).

    Example: aiguillage token create --user guichet --role service
    """
    from service.store import ConflictError, InputError, create_token

    settings = Settings()
    with _store_session(settings) as session:
        try:
            typer.echo(create_token(session, user_name=user, role=role))
        except (InputError, ConflictError) as error:
            fail(str(error))


@token_app.command("revoke")
def token_revoke(user: Annotated[str, typer.Option(help="User name whose tokens stop working.")]) -> None:
    """Revoke every API token of USER (a running service refuses them within 10 seconds).

    Example: aiguillage token revoke --user guichet
    """
    from service.store import revoke_tokens

    settings = Settings()
    with _store_session(settings) as session:
        try:
            count = revoke_tokens(session, user_name=user)
        except LookupError:
            fail(f"no user named {user}")
    typer.echo(f"{count} token(s) of {user} revoked")


@user_app.command("create")
def user_create(
    user: Annotated[str, typer.Option(help="User name.")],
    role: Annotated[str, typer.Option(help="mediator or admin.")] = "mediator",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a user who logs in to the pages, or set a new password (hashed with argon2).

    Example: aiguillage user create --user mdupont --role mediator
    """
    from service.store import set_password

    if role not in ("mediator", "admin"):
        fail("role must be mediator or admin")
    if len(password) < 10:
        fail("the password needs at least 10 characters")
    settings = Settings()
    with _store_session(settings) as session:
        set_password(session, user_name=user, role=role, password=password)
    typer.echo(f"user {user} ({role}) can log in")


@app.command()
def bench(
    peers: Annotated[
        str, typer.Option(help="Comma-separated: aiguillage,tfidf,spacy,fasttext.")
    ] = "aiguillage,tfidf,spacy,fasttext",
    output: Annotated[Path, typer.Option(help="Folder for RESULTS.md and results.json.")] = Path(
        "evaluation/benchmarks"
    ),
    serving_only: Annotated[
        bool, typer.Option("--serving-only", help="Only measure the production model as served again.")
    ] = False,
) -> None:
    """Train each peer on the train split, score it on the frozen test split, time it, write RESULTS.md.

    Needs the production model for the serving figures. Example: aiguillage bench --peers aiguillage,tfidf
    """
    from evaluation.bench import remeasure_serving, run_benchmark

    if serving_only:
        serving = remeasure_serving(Settings(), output)
        typer.echo(f"served: {serving['batch_texts_per_s']} texts/s on {serving['workers']} workers")
        typer.echo(f"written to {output / 'RESULTS.md'}")
        return
    results = run_benchmark(Settings(), [p.strip() for p in peers.split(",") if p.strip()], output)
    for result in results:
        typer.echo(
            f"{result['peer']}: motifs micro-F1 {result['motifs_micro_f1']:.3f}, "
            f"recevabilité macro-F1 {result['recevabilite_macro_f1']:.3f}, {result['train_seconds']} s"
        )
    typer.echo(f"written to {output / 'RESULTS.md'}")


if __name__ == "__main__":
    app()

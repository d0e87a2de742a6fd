"""Train and promote the default model when the installation has no production model yet."""

from __future__ import annotations

from aiguillage.keys import load_or_create_secret
from aiguillage.registry import RegistryError, load_model, production_version, promote
from aiguillage.settings import Settings
from training.register import train_version


def ensure_default_model(settings: Settings) -> str:
    """Return the production version, training and promoting one first if there is none (or it is unusable)."""
    secret = load_or_create_secret(settings.resolved_secret_key_file)
    current = production_version(settings.models_dir)
    if current is not None:
        try:
            load_model(settings.models_dir, current, secret)
            return current
        except RegistryError as error:
            print(f"production model unusable ({error}); training a new one")
    print("no usable production model: training the default model on the annotated corpus (a few minutes)")
    version, result = train_version(settings)
    promote(settings.models_dir, version, secret)
    print(f"default model {version} trained in {result.seconds:.0f} s and promoted")
    return version


if __name__ == "__main__":
    print(f"production model: {ensure_default_model(Settings())}")
